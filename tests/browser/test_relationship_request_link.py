"""The partner's standing reseller-relationship link in real Chromium: the agent copies it, a
customer signs in from it (first sign-in forces a new password), accepts, and finds the partner
in its partners list; axe-core on every page, in English and Czech."""

import pytest
from playwright.sync_api import expect

from customers.models import Relationship, RelationshipOrigin, RelationshipStatus
from tests import factories as f
from tests.browser.support import assert_accessible, sign_in, switch_language

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "Zelena-Louka-42-Kvete"


@pytest.mark.parametrize("language", ["en", "cs"])
def test_a_customer_accepts_the_partner_from_its_link(
    live_server, settings, page, second_page, sam, language
):
    settings.PORTAL_BASE_URL = live_server.url
    newcomer = f.CustomerFactory(company_name="Fourth Coffee s.r.o.")
    admin = f.CustomerAdminFactory(customer=newcomer, must_change_password=True)

    # The agent finds the link on the request page and copies it.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    page.wait_for_url("**/dashboard/")
    if language == "cs":
        switch_language(page, "cs")
    page.goto(f"{live_server.url}/invitations/request/")
    link = page.locator("#partner-link").input_value()
    assert link == f"{live_server.url}/admin-center/relationship/{sam.partner.partner_id}/"
    page.locator("[data-copy-target=partner-link-text]").click()
    expect(page.locator("[data-copy-status]")).not_to_be_empty()
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert_accessible(page)

    # The customer opens it in its own browser: who asks, and a sign-in that keeps the link.
    customer = second_page
    customer.goto(link)
    if language == "cs":
        switch_language(customer, "cs")
        assert customer.locator("html").get_attribute("lang") == "cs"
    assert "Contoso" in customer.get_by_role("heading", level=1).inner_text()
    assert_accessible(customer)
    customer.locator("main a.btn-primary").click()
    customer.wait_for_url("**/admin-center/login/**")
    assert_accessible(customer)
    customer.locator("#id_username").fill(admin.email)
    customer.locator("#id_password").fill(f.PASSWORD)
    customer.locator("main button[type=submit]").click()

    # The first sign-in forces a new password and then returns to the link.
    customer.wait_for_url("**/admin-center/password/**")
    assert_accessible(customer)
    customer.locator("#id_old_password").fill(f.PASSWORD)
    customer.locator("#id_new_password1").fill(NEW_PASSWORD)
    customer.locator("#id_new_password2").fill(NEW_PASSWORD)
    customer.locator("main button[type=submit]").click()
    customer.wait_for_url(f"**/admin-center/relationship/{sam.partner.partner_id}/")

    # Who asks, what it means, a box nobody ticked; looking changed nothing.
    assert sam.partner.partner_id in customer.locator("main").inner_text()
    box = customer.locator("#id_accept_relationship")
    assert not box.is_checked()
    assert not Relationship.objects.filter(customer=newcomer).exists()
    assert_accessible(customer)

    # Accept without the tick: a clear error, nothing saved.
    customer.locator("main form button[type=submit]").click()
    customer.locator(".invalid-feedback, .text-danger").first.wait_for()
    assert not Relationship.objects.filter(customer=newcomer).exists()
    assert_accessible(customer)

    customer.locator("#id_accept_relationship").check()
    customer.locator("main form button[type=submit]").click()
    customer.wait_for_url("**/admin-center/partners/")
    assert "Contoso" in customer.locator("main table").inner_text()
    assert_accessible(customer)
    relationship = Relationship.objects.get(customer=newcomer)
    assert (relationship.partner, relationship.status, relationship.origin) == (
        sam.partner,
        RelationshipStatus.ACTIVE,
        RelationshipOrigin.ACCEPTED_INVITATION,
    )

    # The link again: already accepted, said plainly.
    customer.goto(link)
    customer.locator("#already-active").wait_for()
    assert_accessible(customer)
