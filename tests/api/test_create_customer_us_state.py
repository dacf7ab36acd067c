"""POST /v1/customers: a US customer's address names its state (billingProfile.defaultAddress.state),
from django-localflavor's list; it is required there."""

import pytest

from customers.models import Customer
from tests.api.payloads import new_customer

pytestmark = pytest.mark.django_db


def us_customer(**changes):
    return new_customer(
        billingProfile__defaultAddress__country="US",
        billingProfile__defaultAddress__city="Seattle",
        billingProfile__defaultAddress__postalCode="98052",
        billingProfile__phoneNumber="+12065550100",
        billingProfile__language="en",
        **changes,
    )


def test_the_api_creates_a_us_customer_with_its_state(api_as, sam, template_cz):
    response = api_as(sam).post_json(
        "/v1/customers", us_customer(billingProfile__defaultAddress__state="wa")
    )
    assert response.status_code == 201, response.content
    assert response.json()["billingProfile"]["defaultAddress"]["state"] == "WA"
    assert Customer.objects.get(domain="wingtip.onmicrosoft.com").state == "WA"


@pytest.mark.parametrize("state", [None, "ZZ"])
def test_the_api_refuses_a_us_customer_without_a_valid_state(api_as, sam, template_cz, state):
    body = us_customer()
    if state is not None:
        body["billingProfile"]["defaultAddress"]["state"] = state
    response = api_as(sam).post_json("/v1/customers", body)
    assert response.status_code == 400
    assert "billingProfile.defaultAddress.state" in response.json()["description"]
    assert not Customer.objects.exists()
