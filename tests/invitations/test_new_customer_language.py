"""The new customer's language follows its country unless the agent chooses one."""

import json

import pytest
from django.urls import reverse

from customers.models import Customer
from customers.services import language_for_country
from invitations.forms import NewCustomerForm
from tests.customers.conftest import new_customer_data

NEW = reverse("customers:new")


@pytest.fixture
def sam_in(client, sam, template_cz):
    client.force_login(sam)
    return client


def create(client, **overrides) -> Customer:
    review = client.post(NEW, new_customer_data(**overrides))
    assert review.status_code == 302, review.text
    assert client.post(review["Location"]).status_code == 302
    return Customer.objects.get(domain="wingtip.onmicrosoft.com")


@pytest.mark.parametrize(
    ("country", "language"), [("CZ", "cs"), ("cz", "cs"), ("DE", "de"), ("US", "en"), ("", "en")]
)
def test_each_country_suggests_its_language_or_english(country, language):
    assert language_for_country(country) == language


def test_a_czech_customer_without_a_language_gets_czech(sam_in):
    customer = create(sam_in, language=None)
    assert customer.language == "cs"


def test_an_empty_language_also_follows_the_country(sam_in):
    customer = create(sam_in, language="")
    assert customer.language == "cs"


def test_a_customer_elsewhere_without_a_language_gets_english(sam_in):
    customer = create(sam_in, country="US", state="WA", language=None)
    assert customer.language == "en"


def test_the_language_the_agent_chose_wins_over_the_country(sam_in):
    customer = create(sam_in, language="en")
    assert customer.language == "en"


def test_the_review_page_shows_the_language_taken_from_the_country(sam_in):
    review = sam_in.post(NEW, new_customer_data(language=None))["Location"]
    assert ">Czech<" in sam_in.get(review).text


def test_an_unknown_language_is_still_a_field_error(sam_in):
    response = sam_in.post(NEW, new_customer_data(language="xx"))
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert not Customer.objects.exists()


def test_the_form_tells_the_script_which_language_each_country_suggests(sam_in):
    form = NewCustomerForm()
    attrs = form.fields["language"].widget.attrs
    assert json.loads(attrs["data-country-languages"])["CZ"] == "cs"
    assert attrs["data-default-language"] == "en"
    assert "data-country-languages" in sam_in.get(NEW).text
