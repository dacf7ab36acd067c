"""A bad phone number's error cites the same example as the field's help (+420 601 123 456),
not the library's US number, on every form that asks for one, in English and Czech."""

import pytest
from django.conf import settings
from django.urls import reverse

from agreements.forms import AttestationForm
from bulk.services import RowForm
from customers.forms import CustomerDetailsForm
from invitations.forms import NewCustomerForm
from tests.agreements.test_attest_existing_customer import attestation_data, url
from tests.customers.conftest import new_customer_data

EXAMPLE = "+420 601 123 456"


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (AttestationForm, "phone"),
        (NewCustomerForm, "contact_phone"),
        (NewCustomerForm, "accepted_phone"),
        (CustomerDetailsForm, "contact_phone"),
        (RowForm, "phone"),
    ],
)
def test_every_phone_field_cites_one_example(form, field):
    phone = form.base_fields[field]
    assert str(phone.error_messages["invalid"]) == (
        f"Enter a valid phone number in international format, for example {EXAMPLE}."
    )
    assert phone.required is False
    if phone.help_text:
        assert EXAMPLE in str(phone.help_text)


def test_new_customer_says_it_in_english_and_czech(client, sam, template_cz):
    client.force_login(sam)
    response = client.post(reverse("customers:new"), new_customer_data(contact_phone="12345"))
    assert response.status_code == 400
    assert f"Enter a valid phone number in international format, for example {EXAMPLE}." in (
        response.text
    )
    assert "12125552368" not in response.text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cs"
    response = client.post(reverse("customers:new"), new_customer_data(contact_phone="12345"))
    assert f"Zadejte platné telefonní číslo v mezinárodním formátu, například {EXAMPLE}." in (
        response.text
    )


def test_attesting_says_it_too(client, sam, acme):
    client.force_login(sam)
    response = client.post(url(acme), attestation_data(phone="777"))
    assert response.status_code == 400
    assert f"for example {EXAMPLE}." in response.text and "12125552368" not in response.text
