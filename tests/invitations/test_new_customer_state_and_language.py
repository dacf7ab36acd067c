"""New customer: a US customer names its state (from django-localflavor's list, required
there, dropped elsewhere), on the web and through the API; the language starts on "The
country's language" (the script shows the portal's own until a country is chosen) and follows
the country."""

import pytest
from django.urls import reverse

from customers.models import Customer
from tests.customers.conftest import new_customer_data

NEW = reverse("customers:new")
US = {
    "country": "US",
    "city": "Seattle",
    "postal_code": "98052",
    "language": "en",
    "contact_phone": "+12065550100",
}


@pytest.fixture
def sam_in(client, sam, template_cz):
    client.force_login(sam)
    return client


def test_a_us_customer_is_created_with_its_state_and_its_address_reads_the_us_way(sam_in):
    review = sam_in.post(NEW, new_customer_data(**US, state="WA"))
    assert review.status_code == 302
    page = sam_in.get(review["Location"]).text
    assert "Na Příkopě 10<br>Seattle, WA 98052" in page
    assert sam_in.post(review["Location"]).status_code == 302
    customer = Customer.objects.get(domain="wingtip.onmicrosoft.com")
    assert customer.state == "WA"
    assert customer.postal_address == "Na Příkopě 10, Seattle, WA 98052"


@pytest.mark.parametrize(
    ("state", "message"),
    [(None, "Choose the state of a US address."), ("ZZ", "Select a valid choice.")],
)
def test_a_us_customer_without_a_state_from_the_list_is_refused(sam_in, state, message):
    response = sam_in.post(NEW, new_customer_data(**US, state=state))
    assert response.status_code == 400
    assert message in response.text
    assert not Customer.objects.exists()


def test_a_state_given_for_a_czech_customer_is_dropped(sam_in):
    review = sam_in.post(NEW, new_customer_data(state="CA"))
    sam_in.post(review["Location"])
    assert Customer.objects.get(domain="wingtip.onmicrosoft.com").state == ""


def test_the_state_field_lists_the_us_states(sam_in):
    text = sam_in.get(NEW).text
    assert 'name="state"' in text and 'data-state-for="US"' in text
    assert '<option value="WA">Washington</option>' in text
    assert '<option value="DC">District of Columbia</option>' in text


def test_in_the_czech_ui_the_script_is_told_to_start_in_czech(client, sam, template_cz):
    """The form starts on "The country's language" (resolved on the server); the script shows
    the portal's own language until a country is chosen."""
    client.force_login(sam)
    client.cookies["django_language"] = "cs"
    form = client.get(NEW).context["form"]
    assert form["language"].value() == ""
    assert form.fields["language"].widget.attrs["data-portal-language"] == "cs"


def test_in_the_english_ui_the_script_is_told_to_start_in_english(sam_in):
    form = sam_in.get(NEW).context["form"]
    assert form["language"].value() == ""
    assert form.fields["language"].widget.attrs["data-portal-language"] == "en"


def test_a_czech_customer_created_in_the_czech_ui_gets_czech(client, sam, template_cz):
    client.force_login(sam)
    client.cookies["django_language"] = "cs"
    review = client.post(NEW, new_customer_data(language=None))
    client.post(review["Location"])
    assert Customer.objects.get(domain="wingtip.onmicrosoft.com").language == "cs"


def test_the_relationship_requests_new_customer_has_the_state_field_too(sam_in):
    text = sam_in.get(reverse("invitations:request_relationship")).text
    assert 'name="new-state"' in text
