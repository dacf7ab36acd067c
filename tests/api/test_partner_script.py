"""End to end, the way a partner's script drives the API: token from the command line,
then create, try to order, attest, repeat, order, and read back."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests import factories as f
from tests.api.conftest import ApiClient
from tests.api.payloads import new_customer

pytestmark = pytest.mark.django_db


def test_a_partner_script_creates_attests_and_orders(sam, template_cz):
    f.OfferFactory(offer_id="M365-BP", countries=["CZ"], unit_price="22.00")
    out = io.StringIO()
    call_command("issue_api_token", sam.email, "--name", "nightly sync", stdout=out)
    api = ApiClient(out.getvalue().strip().splitlines()[-1])

    template = api.get("/v1/agreements?agreementType=MicrosoftCustomerAgreement").json()["items"][0]
    created = api.post_json("/v1/customers", new_customer(), headers={"MS-RequestId": "c-1"})
    assert created.status_code == 201
    tenant = created.json()["id"]
    assert created.json()["userCredentials"]["password"]

    offers = api.get("/v1/offers?country=CZ").json()["items"]
    order = {"lineItems": [{"offerId": offers[0]["id"], "quantity": 3}]}
    refused = api.post_json(f"/v1/customers/{tenant}/orders", order)
    assert refused.status_code == 403
    assert refused.json()["code"] == 13605

    agreement = {
        "primaryContact": {
            "firstName": "Petr",
            "lastName": "Svoboda",
            "email": "petr@wingtip.example",
            "phoneNumber": "+420602000111",
        },
        "templateId": template["templateId"],
        "dateAgreed": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
        "type": "MicrosoftCustomerAgreement",
    }
    future = api.post_json(f"/v1/customers/{tenant}/agreements", agreement)
    assert future.status_code == 400
    assert future.json()["code"] == 800002
    assert "dateAgreed" in future.json()["description"]

    agreement["dateAgreed"] = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    attested = api.post_json(f"/v1/customers/{tenant}/agreements", agreement)
    assert attested.status_code == 201
    repeated = api.post_json(f"/v1/customers/{tenant}/agreements", agreement)
    assert repeated.status_code == 409
    assert repeated.json()["code"] == 600061

    ordered = api.post_json(
        f"/v1/customers/{tenant}/orders", order, headers={"MS-RequestId": "o-1"}
    )
    assert ordered.status_code == 201
    assert ordered.json()["lineItems"][0]["quantity"] == 3

    history = api.get(
        f"/v1/customers/{tenant}/agreements?agreementType=MicrosoftCustomerAgreement"
    ).json()
    assert history["totalCount"] == 1
    assert history["items"][0]["dateAgreed"] == agreement["dateAgreed"]
    status = api.get(f"/v1/customers/{tenant}/directSignedMicrosoftCustomerAgreementStatus")
    assert status.json() == {"isSigned": False}
