"""Bad input on the New customer form: field errors, HTTP 400, nothing saved (R1)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.customers.conftest import new_customer_data, row_counts

NEW = reverse("customers:new")


def post(client, **overrides):
    before = row_counts()
    response = client.post(NEW, new_customer_data(**overrides))
    assert response.status_code == 400
    assert row_counts() == before
    assert not client.session.get("customers:new_customer_drafts")
    return response


@pytest.fixture
def sam_in(client, sam, template_cz):
    client.force_login(sam)
    return client


def test_a_future_date_is_refused_with_a_message_that_says_why(sam_in):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = post(sam_in, date_agreed=tomorrow.isoformat())
    assert "can&#x27;t be in the future" in response.text


def test_today_is_accepted(sam_in):
    response = sam_in.post(NEW, new_customer_data(date_agreed=timezone.localdate().isoformat()))
    assert response.status_code == 302


def test_a_malformed_date_is_a_field_error(sam_in):
    response = post(sam_in, date_agreed="31.02.2026x")
    assert "Enter a valid date" in response.text


def test_the_date_is_required_when_the_customer_has_accepted(sam_in):
    response = post(sam_in, date_agreed="")
    assert "Enter the date the customer accepted the agreement." in response.text


@pytest.mark.parametrize(
    "field", ["company_name", "contact_first_name", "contact_last_name", "contact_email"]
)
def test_required_account_fields_are_field_errors(sam_in, field):
    response = post(sam_in, **{field: ""})
    assert "This field is required." in response.text


def test_an_invalid_email_is_a_field_error(sam_in):
    response = post(sam_in, contact_email="not-an-email")
    assert "Enter a valid email address." in response.text


def test_an_invalid_phone_number_is_a_field_error(sam_in):
    response = post(sam_in, contact_phone="12345")
    assert "Enter a valid phone number" in response.text


def test_an_invalid_domain_is_a_field_error(sam_in):
    response = post(sam_in, domain="Not Valid!")
    assert "onmicrosoft.com" in response.text


def test_a_taken_domain_is_refused(sam_in):
    f.CustomerFactory(domain="wingtip.onmicrosoft.com")
    response = post(sam_in, domain="wingtip.onmicrosoft.com")
    assert "already taken" in response.text


def test_the_agreement_choice_is_required(sam_in):
    response = post(sam_in, agreement="")
    assert "Choose how the customer accepts the agreement." in response.text


def test_update_needs_the_name_and_email_of_who_accepted(sam_in):
    response = post(sam_in, accepted_by_other="on", accepted_email="bad")
    assert "Enter the first name of the person who accepted." in response.text
    assert "Enter the last name of the person who accepted." in response.text
    assert "Enter a valid email address." in response.text


@pytest.mark.parametrize("agreement", ["attested", "invite"])
def test_a_country_without_a_published_agreement_is_refused_at_the_first_step(sam_in, agreement):
    """Neither choice could work (nothing to attest against, nothing to accept), so the agent
    hears it on the form, not at review; nothing is saved."""
    response = post(sam_in, country="FR", agreement=agreement)
    assert "No Microsoft Customer Agreement is published for this country yet" in response.text


def test_a_date_that_became_future_is_refused_at_review(sam_in, time_machine):
    today = timezone.localdate()
    review = sam_in.post(NEW, new_customer_data(date_agreed=today.isoformat()))["Location"]
    time_machine.move_to(timezone.now() - datetime.timedelta(days=2))
    before = row_counts()
    response = sam_in.post(review)
    assert response.status_code == 400
    assert "can&#x27;t be in the future" in response.text
    assert row_counts() == before
