"""A1 and A2 end to end in real Chromium, the date picker's limit, and axe-core on every page."""

import datetime

import pytest
from django.utils import timezone

from agreements.models import Acceptance
from agreements.services import request_attestation
from tests import factories as f
from tests.browser.support import (
    assert_accessible,
    fill_account_info,
    sign_in,
    switch_language,
)

pytestmark = pytest.mark.django_db(transaction=True)


def fill_new_customer(page, *, date_agreed: str) -> None:
    fill_account_info(page)
    page.locator("#id_contact_phone").fill("+420602111222")
    page.get_by_label("The customer has accepted the Microsoft Customer Agreement").check()
    page.locator("#id_date_agreed").fill(date_agreed)


def test_sales_agent_creates_a_customer_with_attestation(live_server, page, sam, template_cz):
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    page.get_by_role("link", name="Customers", exact=True).first.click()
    page.get_by_role("link", name="New customer").click()
    assert page.get_by_role("heading", level=1).inner_text() == "New customer"

    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    fill_new_customer(page, date_agreed=yesterday)
    page.locator("#id_domain").blur()
    page.get_by_text("wingtip.onmicrosoft.com is available.").wait_for()
    assert (
        page.locator("#accepted-by-summary").inner_text() == "Petr Svoboda (petr@wingtip.example)"
    )
    assert page.locator("#accepted-by-fields").is_hidden()
    page.get_by_label("Update: someone other than the primary contact accepted").check()
    assert page.locator("#accepted-by-fields").is_visible()
    # Someone else starts blank: nothing of the primary contact is copied in.
    assert page.locator("#id_accepted_first_name").input_value() == ""
    assert page.locator("#id_accepted_phone").input_value() == ""
    page.locator("#id_accepted_first_name").fill("Marie")
    page.locator("#id_accepted_last_name").fill("Horáková")
    page.locator("#id_accepted_email").fill("marie@wingtip.example")
    assert_accessible(page)

    page.get_by_role("button", name="Next: review").click()
    page.wait_for_url("**/customers/new/review/*/")
    assert "Marie Horáková" in page.content()
    assert_accessible(page)

    page.get_by_role("button", name="Create customer").click()
    page.wait_for_url("**/created/")
    password = page.locator("#temporary-password").inner_text()
    assert len(password) >= 16
    assert page.locator("#sign-in-name").inner_text() == "admin@wingtip.onmicrosoft.com"
    assert_accessible(page)
    page.reload()
    assert password not in page.locator("body").inner_text()
    assert "no longer available" in page.content()

    page.get_by_role("link", name="Go to account info").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Wingtip Toys s.r.o."
    agreement = page.locator("#agreement")
    assert "Attested by partner" in agreement.inner_text()
    assert "Marie Horáková" in agreement.inner_text()
    assert_accessible(page)
    acceptance = Acceptance.objects.get(customer__domain="wingtip.onmicrosoft.com")
    assert acceptance.user_agent and acceptance.ip_address == "127.0.0.1"


def test_the_new_customer_form_works_without_javascript(live_server, chromium, sam, template_cz):
    context = chromium.new_context(locale="en-US", java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, sam.email, f.PASSWORD)
        page.goto(f"{live_server.url}/customers/new/")
        fill_new_customer(page, date_agreed=timezone.localdate().isoformat())
        assert page.locator("#accepted-by-fields").is_visible()
        page.get_by_role("button", name="Next: review").click()
        page.get_by_role("button", name="Create customer").click()
        assert page.locator("#temporary-password").is_visible()
    finally:
        context.close()


def test_admin_attests_an_existing_customer(live_server, page, alice, acme):
    sign_in(page, live_server.url, alice.email, f.PASSWORD)
    page.goto(f"{live_server.url}/customers/")
    page.get_by_role("textbox", name="Search").fill("acm")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Acme s.r.o.").click()
    assert "Not on record" in page.locator("#agreement").inner_text()
    assert_accessible(page)

    page.locator("#agreement").get_by_role("link", name="Update").click()
    page.get_by_label("First name").fill("Eva")
    page.get_by_label("Last name").fill("Dvořáková")
    page.get_by_label("Email address").fill("eva@acme.example")
    page.get_by_label("Phone number (optional)").fill("")
    page.get_by_label("Date the agreement was accepted").fill(
        (timezone.localdate() - datetime.timedelta(days=5)).isoformat()
    )
    assert_accessible(page)
    page.get_by_role("button", name="Save and continue").click()

    page.wait_for_url(f"**/customers/{acme.tenant_id}/")
    agreement = page.locator("#agreement").inner_text()
    assert "Attested by partner" in agreement
    assert "Eva Dvořáková" in agreement
    assert "Acceptance of the Microsoft Customer Agreement is now on record." in page.content()

    page.locator("#agreement").get_by_role("link", name="Update").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue").click()
    assert "already on record with the same person and date" in page.content()
    assert_accessible(page)


def test_the_date_picker_refuses_a_future_date(live_server, page, sam, acme):
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    page.goto(f"{live_server.url}/customers/{acme.tenant_id}/agreement/update/")
    date_input = page.get_by_label("Date the agreement was accepted")
    assert date_input.get_attribute("max") == timezone.localdate().isoformat()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    date_input.fill(tomorrow)
    assert date_input.evaluate("input => input.validity.rangeOverflow") is True
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()
    assert "can't be in the future" in page.locator("main").inner_text()
    assert not Acceptance.objects.exists()
    assert_accessible(page)


@pytest.mark.parametrize("language", ["en", "cs"])
def test_every_page_of_the_attestation_flows_is_accessible(
    live_server, page, frank, nora, initech, alice, acme, language
):
    request_attestation(customer=initech, reseller=nora.partner, requested_by=nora)
    f.attest(acme, alice)

    sign_in(page, live_server.url, alice.email, f.PASSWORD)
    switch_language(page, language)
    for path in (
        "/customers/",
        "/customers/?q=zzz",
        "/customers/?status=bogus",
        f"/customers/{acme.tenant_id}/",
        f"/customers/{acme.tenant_id}/agreement/update/",
        "/agreements/",
        "/agreements/?country=FR",
        "/agreements/download/FR/",
        "/customers/new/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
    # Submitting the empty form shows every field error at once.
    page.locator("#new-customer-form button[type=submit]").click()
    page.wait_for_load_state()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, live_server.url, frank.email, f.PASSWORD)
    switch_language(page, language)
    page.goto(f"{live_server.url}/dashboard/")
    assert page.locator(f"a[href='/customers/{initech.tenant_id}/agreement/update/']").count() == 1
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, live_server.url, nora.email, f.PASSWORD)
    switch_language(page, language)
    for path in (
        "/dashboard/",
        f"/customers/{initech.tenant_id}/",
        f"/customers/{initech.tenant_id}/agreement/update/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
