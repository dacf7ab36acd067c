"""Edit details in a real browser: a sales agent corrects a customer's name, city and contact
from Account info, sees the change history there, and finds the customer by its new name;
a US customer's state; the pages are axe-clean in English and in Czech, at desktop and phone
widths (issue 16)."""

import pytest

from tests import factories as f
from tests.browser.support import assert_accessible, sign_in, switch_language

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_sales_agent_edits_the_details_and_reads_the_history(live_server, page, sam, acme):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    page.goto(f"{live_server.url}/customers/{acme.tenant_id}/")
    page.get_by_role("link", name="Edit details").click()
    page.wait_for_url("**/edit/")
    assert page.get_by_text(str(acme.tenant_id)).is_visible()
    assert page.get_by_text("The tenant ID, domain and country can't be changed.").is_visible()
    assert_accessible(page)

    page.get_by_label("Company name").fill("")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("This field is required.").first.is_visible()
    assert_accessible(page)

    page.get_by_label("Company name").fill("Acme Brno s.r.o.")
    page.get_by_label("City").fill("Brno")
    page.get_by_label("Email address").fill("eva@acme.example")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/customers/{acme.tenant_id}/")
    assert page.get_by_text("The customer's details were saved.").is_visible()
    history = page.get_by_role("table", name="Change history")
    assert history.get_by_role("row").count() == 1 + 3
    assert history.get_by_role("cell", name="Acme Brno s.r.o.").is_visible()
    assert history.get_by_role("cell", name="eva@acme.example").is_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/customers/?q=brno")
    assert page.get_by_role("link", name="Acme Brno s.r.o.").is_visible()

    switch_language(page, "cs")
    page.goto(f"{live_server.url}/customers/{acme.tenant_id}/")
    assert page.get_by_role("table", name="Historie změn").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Upravit údaje").click()
    page.wait_for_url("**/edit/")
    assert page.get_by_role("heading", name="Upravit údaje").is_visible()
    assert_accessible(page)


def test_a_us_customers_state_on_a_phone_in_czech(live_server, page, alice, contoso, template_cz):
    customer = f.CustomerFactory(
        company_name="Fourth Coffee",
        country="US",
        state="WA",
        city="Seattle",
        postal_code="98052",
        address_line1="1 Pike Place",
        language="en",
    )
    f.RelationshipFactory(partner=contoso, customer=customer)
    sign_in(page, live_server.url, alice.email, f.PASSWORD)
    switch_language(page, "cs")
    # The language menu is in the collapsed navigation on a phone: chosen first, then the phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/customers/{customer.tenant_id}/edit/")
    state = page.get_by_label("Stát")
    assert state.input_value() == "WA"
    assert_accessible(page)
    state.select_option("OR")
    page.get_by_label("Město").fill("Portland")
    page.get_by_role("button", name="Uložit").click()
    page.wait_for_url(f"**/customers/{customer.tenant_id}/")
    address = page.locator("[data-postal-address]")
    assert address.is_visible()
    assert address.inner_text() == "1 Pike Place\nPortland, OR 98052"
    assert_accessible(page)


def test_the_new_customer_forms_state_shows_only_for_the_united_states(
    live_server, page, sam, template_cz
):
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    page.goto(f"{live_server.url}/customers/new/")
    state = page.locator("#id_state")
    assert not state.is_visible()
    page.locator("#id_country").select_option("US")
    assert state.is_visible()
    assert_accessible(page)
    page.locator("#id_country").select_option("CZ")
    assert not state.is_visible()


def test_in_the_czech_ui_the_new_customers_language_starts_czech_and_follows_the_country(
    live_server, page, sam, template_cz
):
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    switch_language(page, "cs")
    page.goto(f"{live_server.url}/customers/new/")
    language = page.locator("#id_language")
    assert language.input_value() == "cs"
    page.locator("#id_country").select_option("US")
    assert language.input_value() == "en"
    page.locator("#id_country").select_option("CZ")
    assert language.input_value() == "cs"
    assert_accessible(page)
