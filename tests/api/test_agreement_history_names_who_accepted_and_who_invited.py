"""GET /v1/customers/{id}/agreements: who accepted (acceptedBy, with their role) is one fact;
who brought it on record is another: the agent (recordedBy) of a partner attestation, or the
partner whose invitation a direct acceptance answered (invitedBy). Earlier fields stay."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests.api.conftest import assert_error
from tests.api.payloads import attestation

pytestmark = pytest.mark.django_db


def url(customer):
    return f"/v1/customers/{customer.tenant_id}/agreements"


@pytest.fixture
def pavel(acme):
    return f.CustomerAdminFactory(customer=acme, first_name="Pavel", last_name="Beneš")


def test_a_direct_acceptance_names_the_customers_admin_and_the_inviting_partner(
    api_as, hana, contoso, acme, pavel
):
    f.accept_directly(acme, pavel, contoso)
    [item] = api_as(hana).get(url(acme)).json()["items"]
    assert item["method"] == "directAcceptance"
    assert item["acceptedBy"] == {
        "firstName": "Pavel",
        "lastName": "Beneš",
        "email": pavel.email,
        "role": "customerAdmin",
    }
    assert item["invitedBy"] == {"partnerId": contoso.partner_id, "partnerName": "Contoso Partner"}
    assert item["recordedBy"] is None
    assert item["partnerId"] == contoso.partner_id
    # Kept as they were for existing clients.
    assert item["userId"] == str(pavel.pk)
    assert item["primaryContact"]["firstName"] == "Pavel"


def test_a_partner_attestation_names_the_agent_who_recorded_it(api_as, hana, sam, contoso, acme):
    f.attest(acme, sam, first_name="Eva", last_name="Dvořáková", email="eva@acme.example")
    [item] = api_as(hana).get(url(acme)).json()["items"]
    assert item["acceptedBy"] == {
        "firstName": "Eva",
        "lastName": "Dvořáková",
        "email": "eva@acme.example",
        "role": "customerContact",
    }
    assert item["recordedBy"] == {
        "userId": str(sam.pk),
        "name": "Sam Agent",
        "partnerId": contoso.partner_id,
        "partnerName": "Contoso Partner",
    }
    assert item["invitedBy"] is None


def test_the_new_record_answered_by_post_says_the_same(api_as, sam, contoso, acme, template_cz):
    response = api_as(sam).post_json(url(acme), attestation(template_cz))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["recordedBy"]["name"] == "Sam Agent"
    assert body["acceptedBy"]["role"] == "customerContact"
    assert body["invitedBy"] is None


def test_the_history_costs_the_same_with_both_kinds_of_record(api_as, alice, contoso, acme, pavel):
    api = api_as(alice)
    f.accept_directly(acme, pavel, contoso)
    api.get(url(acme))
    with CaptureQueriesContext(connection) as one:
        assert api.get(url(acme)).status_code == 200
    for number in range(10):
        f.attest(acme, alice, first_name=f"Name{number}")
    with CaptureQueriesContext(connection) as many:
        assert api.get(url(acme)).status_code == 200
    assert len(many) == len(one)


def test_the_schema_describes_the_new_fields(anonymous_api):
    schema = anonymous_api.get("/v1/openapi.json").json()
    agreement = schema["components"]["schemas"]["Agreement"]["properties"]
    assert {"acceptedBy", "recordedBy", "invitedBy", "partnerId", "userId"} <= set(agreement)


def test_another_partners_agent_gets_404(api_as, lisa, contoso, acme, pavel):
    f.accept_directly(acme, pavel, contoso)
    assert_error(api_as(lisa).get(url(acme)), 404)
