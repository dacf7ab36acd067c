"""The API checks a postal code of a country whose form is known as the web forms do
(tests/customers/test_postal_codes_follow_the_country.py): 400 naming the field, nothing saved;
a Czech code is kept as "123 45"."""

from __future__ import annotations

import pytest

from customers.models import CustomerChange
from tests.api.conftest import assert_error
from tests.api.payloads import new_customer
from tests.api.test_customer_billing_profile import edited, profile_of, url
from tests.customers.conftest import row_counts

pytestmark = pytest.mark.django_db


def test_the_api_refuses_a_malformed_code_with_400_naming_the_field(api_as, sam, template_cz):
    before = row_counts()
    body = new_customer(billingProfile__defaultAddress__postalCode="6020")
    error = assert_error(api_as(sam).post_json("/v1/customers", body), 400, 800002)
    assert any(
        line.startswith("billingProfile.defaultAddress.postalCode: Enter a postal code")
        for line in error["data"]
    ), error
    assert row_counts() == before


def test_the_api_keeps_a_czech_code_spaced(api_as, sam, template_cz):
    body = new_customer(billingProfile__defaultAddress__postalCode="60200")
    response = api_as(sam).post_json("/v1/customers", body)
    assert response.status_code == 201, response.content
    assert response.json()["billingProfile"]["defaultAddress"]["postalCode"] == "602 00"


def test_the_billing_profile_api_refuses_a_malformed_code(api_as, alice, acme):
    api = api_as(alice)
    body = edited(profile_of(api, acme), defaultAddress__postalCode="1100")
    error = assert_error(api.put_json(url(acme), body), 400, 800002)
    assert any(line.startswith("defaultAddress.postalCode: ") for line in error["data"]), error
    acme.refresh_from_db()
    assert acme.postal_code == "110 00"
    assert not CustomerChange.objects.exists()
