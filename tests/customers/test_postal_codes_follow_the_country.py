"""A postal code of a country whose form is well known (Czechia and Slovakia "123 45", Germany,
Austria, Poland: django-localflavor's) is checked on the server on every way in: New customer,
Edit details, the API (400, naming the field) and the operators' admin; a Czech or Slovak one is
kept as "123 45" however it was typed. Nothing is half-saved. Other countries' codes as typed. The API's side: tests/api/test_postal_codes.py."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from customers.addresses import normal_postal_code, postal_code_problem
from customers.models import Customer, CustomerChange
from tests.customers.conftest import new_customer_data, row_counts
from tests.customers.test_edit_customer_details import details, edit_url

pytestmark = pytest.mark.django_db

NEW = reverse("customers:new")
CZECH_MESSAGE = "Enter a postal code in the form 123 45, as written in Czechia, for example 110 00."


@pytest.mark.parametrize(
    ("country", "typed", "kept"),
    [
        ("CZ", "11000", "110 00"),
        ("CZ", " 110 00 ", "110 00"),
        ("SK", "81101", "811 01"),
        ("DE", "10115", "10115"),
        ("AT", "1010", "1010"),
        ("PL", "00-950", "00-950"),
        ("US", "98052-6399", "98052-6399"),
        ("FR", "75001", "75001"),
    ],
)
def test_a_good_code_is_taken_and_written_the_countrys_way(country, typed, kept):
    assert postal_code_problem(country, typed) is None
    assert normal_postal_code(country, typed) == kept


@pytest.mark.parametrize(
    ("country", "typed"),
    [("CZ", "1100"), ("CZ", "110-00"), ("CZ", "ABC 12"), ("CZ", "110 000"), ("SK", "8110"),
     ("DE", "1011"), ("AT", "0101"), ("PL", "00950")],
)  # fmt: skip
def test_a_code_not_of_the_countrys_form_is_refused(country, typed):
    assert postal_code_problem(country, typed)


def test_new_customer_keeps_a_czech_code_spaced(client, sam, template_cz):
    client.force_login(sam)
    review = client.post(NEW, new_customer_data(postal_code="11000"))
    assert review.status_code == 302
    assert "110 00" in client.get(review.url).text
    assert client.post(review.url).status_code == 302
    assert Customer.objects.get(domain="wingtip.onmicrosoft.com").postal_code == "110 00"


def test_new_customer_refuses_a_malformed_czech_code_on_its_field(client, sam, template_cz):
    client.force_login(sam)
    before = row_counts()
    response = client.post(NEW, new_customer_data(postal_code="1100"))
    assert response.status_code == 400
    assert CZECH_MESSAGE in response.text
    field = re.search(r'<input[^>]*name="postal_code"[^>]*>', response.text).group(0)
    assert 'aria-invalid="true"' in field
    assert 'value="1100"' in field
    assert row_counts() == before
    assert not client.session.get("customers:new_customer_drafts")


def test_in_czech_the_message_speaks_czech(client, sam, template_cz):
    client.force_login(sam)
    client.cookies["django_language"] = "cs"
    response = client.post(NEW, new_customer_data(postal_code="1100"), HTTP_ACCEPT_LANGUAGE="cs")
    assert response.status_code == 400
    assert "Zadejte PSČ ve tvaru 123 45, jak se píše v zemi Česko, například 110 00." in (
        response.text
    )


def test_edit_details_refuses_a_malformed_code_and_saves_nothing(client, alice, acme):
    client.force_login(alice)
    response = client.post(edit_url(acme), details(acme, city="Brno", postal_code="1100"))
    assert response.status_code == 400
    assert CZECH_MESSAGE in response.text
    acme.refresh_from_db()
    assert (acme.city, acme.postal_code) == ("Praha", "110 00")
    assert not CustomerChange.objects.exists()


def test_the_same_code_typed_without_its_space_is_no_change(client, alice, acme):
    client.force_login(alice)
    response = client.post(edit_url(acme), details(acme, postal_code="11000"), follow=True)
    assert "Nothing was changed." in response.text
    assert not CustomerChange.objects.exists()


def test_the_operators_admin_refuses_a_malformed_code(client, operator, acme):
    client.force_login(operator)
    change = reverse("admin:customers_customer_change", args=[acme.pk])
    form = client.get(change).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data.update({name: "" for name, value in data.items() if value is None})
    data["postal_code"] = "1100"
    data.update(
        {
            "relationships-TOTAL_FORMS": "0",
            "relationships-INITIAL_FORMS": "0",
            "relationships-MIN_NUM_FORMS": "0",
            "relationships-MAX_NUM_FORMS": "0",
        }
    )
    response = client.post(change, data)
    assert response.status_code == 200
    assert CZECH_MESSAGE in response.text
    acme.refresh_from_db()
    assert acme.postal_code == "110 00"
