"""The New customer page in real Chromium: one draft per tab, "someone else accepted" starts
blank, language default."""

import datetime

import pytest
from django.utils import timezone

from agreements.models import Acceptance
from customers.models import Customer
from tests import factories as f
from tests.browser.support import assert_accessible, fill_account_info, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def fill(page, *, company: str, domain: str) -> None:
    fill_account_info(page, company=company, domain=domain, language=None)
    page.locator("#id_contact_phone").fill("+420602111222")
    page.get_by_label("The customer has accepted the Microsoft Customer Agreement").check()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.locator("#id_date_agreed").fill(yesterday.isoformat())


def test_create_in_one_tab_creates_the_customer_of_that_tab(live_server, page, sam, template_cz):
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    tab_a = page
    tab_b = page.context.new_page()
    for tab, company, domain in (
        (tab_a, "Tab A Company", "tab-a"),
        (tab_b, "Tab B Company", "tab-b"),
    ):
        tab.goto(f"{live_server.url}/customers/new/")
        fill(tab, company=company, domain=domain)
        tab.get_by_role("button", name="Next: review").click()
        tab.wait_for_url("**/customers/new/review/*/")
        assert company in tab.locator("main").inner_text()

    # A second copy of tab A's review page, left open (or kept by the browser's history).
    stale = page.context.new_page()
    stale.goto(tab_a.url)

    tab_a.get_by_role("button", name="Create customer").click()
    tab_a.wait_for_url("**/created/")
    assert tab_a.get_by_role("heading", level=1).inner_text() == "Tab A Company has been created"
    assert list(Customer.objects.values_list("company_name", flat=True)) == ["Tab A Company"]

    tab_b.get_by_role("button", name="Create customer").click()
    tab_b.wait_for_url("**/created/")
    assert tab_b.get_by_role("heading", level=1).inner_text() == "Tab B Company has been created"

    # Create again on the stale copy, or Back to the review page: nothing more, and why.
    stale.get_by_role("button", name="Create customer").click()
    stale.wait_for_url("**/customers/new/")
    assert "That new customer is no longer open" in stale.locator("main").inner_text()
    assert_accessible(stale)
    tab_a.go_back()
    tab_a.wait_for_url("**/customers/new/")
    assert "That new customer is no longer open" in tab_a.locator("main").inner_text()
    assert Customer.objects.count() == 2


ACCEPTED = [
    "#id_accepted_first_name",
    "#id_accepted_last_name",
    "#id_accepted_email",
    "#id_accepted_phone",
]


def test_someone_else_starts_with_empty_fields_and_no_phone_rides_along(
    live_server, page, sam, template_cz
):
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    page.goto(f"{live_server.url}/customers/new/")
    fill(page, company="Wingtip Toys s.r.o.", domain="wingtip")
    page.get_by_label("Update: someone other than the primary contact accepted").check()
    assert page.locator("#accepted-by-fields").is_visible()
    assert [page.locator(field).input_value() for field in ACCEPTED] == ["", "", "", ""]
    assert_accessible(page)

    # Only a name and an email: the primary contact's phone must not become Marie's.
    page.locator("#id_accepted_first_name").fill("Marie")
    page.locator("#id_accepted_last_name").fill("Černá")
    page.locator("#id_accepted_email").fill("marie@wingtip.example")
    page.get_by_role("button", name="Next: review").click()
    page.wait_for_url("**/customers/new/review/*/")
    page.get_by_role("button", name="Create customer").click()
    page.wait_for_url("**/created/")
    record = Acceptance.objects.get()
    assert (record.first_name, record.email) == ("Marie", "marie@wingtip.example")
    assert not record.phone


def test_what_the_agent_typed_stays_and_nothing_else_does(live_server, page, sam, template_cz):
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    page.goto(f"{live_server.url}/customers/new/")
    fill(page, company="Wingtip Toys s.r.o.", domain="wingtip")
    # Filled while the section was hidden (as a browser's autofill might): the agent never saw it.
    page.locator("#id_accepted_phone").evaluate(
        "input => { input.value = '+420777000111'; input.dispatchEvent(new Event('input')); }"
    )
    update = page.get_by_label("Update: someone other than the primary contact accepted")
    update.check()
    assert page.locator("#id_accepted_phone").input_value() == ""
    page.locator("#id_accepted_first_name").fill("Marie")
    # Closing and opening again keeps what the agent typed, and copies nothing in.
    update.uncheck()
    update.check()
    assert page.locator("#id_accepted_first_name").input_value() == "Marie"
    assert page.locator("#id_accepted_last_name").input_value() == ""

    page.get_by_role("button", name="Next: review").click()
    page.wait_for_load_state()
    assert "Enter the last name of the person who accepted." in page.locator("main").inner_text()
    # The server sent the section back open, as posted: the script leaves it alone.
    assert page.locator("#accepted-by-fields").is_visible()
    assert page.locator("#id_accepted_first_name").input_value() == "Marie"
    assert page.locator("#id_accepted_last_name").input_value() == ""
    assert page.locator("#id_accepted_phone").input_value() == ""
    assert page.locator("#id_accepted_email").input_value() == ""
    assert_accessible(page)


def test_the_language_follows_the_country_until_the_agent_chooses(
    live_server, page, sam, template_cz
):
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    page.goto(f"{live_server.url}/customers/new/")
    country = page.locator("#id_country")
    language = page.locator("#id_language")
    assert language.input_value() == "en"
    country.select_option("CZ")
    assert language.input_value() == "cs"
    country.select_option("DE")
    assert language.input_value() == "de"
    country.select_option("US")
    assert language.input_value() == "en"
    country.select_option("CZ")
    assert language.input_value() == "cs"

    language.select_option("en")
    country.select_option("DE")
    assert language.input_value() == "en"


def test_a_language_chosen_before_an_error_stays_after_it(live_server, page, sam, template_cz):
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    page.goto(f"{live_server.url}/customers/new/")
    page.locator("#id_country").select_option("CZ")
    page.locator("#id_language").select_option("en")
    page.get_by_role("button", name="Next: review").click()
    page.wait_for_load_state()
    assert page.locator("#id_language").input_value() == "en"
    page.locator("#id_country").select_option("DE")
    assert page.locator("#id_language").input_value() == "en"


def test_the_b2_invitee_form_follows_the_country_too(live_server, page, sam, template_cz):
    """Request a reseller relationship > a new customer: the email's language follows too."""
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    page.goto(f"{live_server.url}/invitations/request/")
    language = page.locator("#id_new-language")
    assert language.input_value() == "en"
    page.locator("#id_new-country").select_option("CZ")
    assert language.input_value() == "cs"
