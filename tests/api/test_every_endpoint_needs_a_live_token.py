"""No token, a bad token or a revoked token: 401 on every endpoint, and nothing happens."""

import pytest

from agreements.models import Acceptance
from customers.models import Customer
from orders.models import Order
from portal.models import ApiToken
from tests.api.conftest import ApiClient, assert_error
from tests.api.payloads import attestation, new_customer

pytestmark = pytest.mark.django_db

CALLS = [
    ("get", "/v1/agreements", None),
    ("get", "/v1/agreementtemplates/{template}/document?country=CZ", None),
    ("get", "/v1/customers", None),
    ("post", "/v1/customers", "customer"),
    ("get", "/v1/customers/{tenant}", None),
    ("get", "/v1/customers/{tenant}/profiles/billing", None),
    ("put", "/v1/customers/{tenant}/profiles/billing", "billing profile"),
    ("get", "/v1/customers/{tenant}/agreements", None),
    ("post", "/v1/customers/{tenant}/agreements", "attestation"),
    ("get", "/v1/customers/{tenant}/directSignedMicrosoftCustomerAgreementStatus", None),
    ("get", "/v1/customers/relationshiprequests", None),
    ("get", "/v1/offers", None),
    ("post", "/v1/customers/{tenant}/orders", "order"),
]


@pytest.fixture
def clients(alice):
    revoked, secret = ApiToken.issue(user=alice, name="old")
    revoked.revoke(by=alice)
    return {
        "no token": ApiClient(),
        "bad token": ApiClient("mca_" + "x" * 43),
        "revoked token": ApiClient(secret),
    }


@pytest.mark.parametrize("who", ["no token", "bad token", "revoked token"])
@pytest.mark.parametrize(("method", "path", "body"), CALLS, ids=[f"{m} {p}" for m, p, _ in CALLS])
def test_every_endpoint_answers_401(clients, who, method, path, body, acme, alice, template_cz):
    offer_body = {"lineItems": [{"offerId": "X", "quantity": 1}]}
    bodies = {
        "customer": new_customer(),
        "attestation": attestation(template_cz),
        "order": offer_body,
        "billing profile": {"companyName": "Not Acme", "attributes": {"etag": "x"}},
    }
    url = path.format(tenant=acme.tenant_id, template=template_cz.template_id)
    client = clients[who]
    if method == "get":
        response = client.get(url)
    else:
        response = getattr(client, f"{method}_json")(url, bodies[body])
    assert_error(response, 401, 401)
    assert Customer.objects.count() == 1
    assert Customer.objects.get().company_name == acme.company_name
    assert not Acceptance.objects.exists()
    assert not Order.objects.exists()
