"""Issue 16 in real Chromium, English and Czech, axe-clean: the composer's To and CC, Revoke's
confirmation, the warning before inviting a customer that bought before; the customer answers
a request from the admin center's home (Decline with a reason), reads whom to contact at its
partner, and the partner sees the answer; the admin center's lockout says for how long."""

import pytest
from django.conf import settings as django_settings
from django.core import mail

from invitations.models import Invitation, InvitationStatus
from tests import factories as f
from tests.browser.support import assert_accessible, sign_in, switch_language

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["en", "cs"])
def test_the_agent_sends_with_copies_revokes_after_confirming_and_is_warned(
    live_server, settings, page, sam, acme, contoso, language
):
    settings.PORTAL_BASE_URL = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    if language == "cs":
        switch_language(page, "cs")
    page.goto(f"{live_server.url}/customers/{acme.tenant_id}/")
    page.locator("#invitations form button").first.click()
    page.wait_for_url("**/compose/")
    page.locator("#id_to").fill("it@acme.example")
    page.locator("#id_cc").fill("boss@acme.example, legal@acme.example")
    mailto = page.locator("[data-mailto]").get_attribute("href")
    assert mailto.startswith("mailto:it@acme.example?cc=boss%40acme.example")
    assert_accessible(page)
    page.locator("#id_cc").fill("boss@acme.example, nope")
    page.locator("[data-composer] button[type=submit]").click()
    page.locator(".invalid-feedback, .alert-danger").first.wait_for()
    assert_accessible(page)
    page.locator("#id_cc").fill("boss@acme.example")
    page.locator("[data-composer] button[type=submit]").click()
    page.wait_for_url("**/invitations/")
    assert mail.outbox[-1].cc == ["boss@acme.example"]

    # Revoke asks first, on a page of its own.
    invitation = Invitation.objects.get(customer=acme)
    page.locator(f"a[href='/invitations/{invitation.public_id}/revoke/']").click()
    page.wait_for_url("**/revoke/")
    assert_accessible(page)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/invitations/")
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED

    # A customer that bought before: a warning first, with the way to attest.
    order = f.OrderFactory(customer=acme, partner=contoso)
    f.OrderLineFactory(order=order)
    page.goto(f"{live_server.url}/customers/{acme.tenant_id}/")
    page.locator("#invitations form button").first.click()
    page.locator("[data-blocked-warning]").wait_for()
    assert page.locator(f"a[href='/customers/{acme.tenant_id}/agreement/update/']").is_visible()
    assert_accessible(page)
    assert Invitation.objects.filter(customer=acme).count() == 1


@pytest.mark.parametrize(("language", "width"), [("en", 1280), ("cs", 390)])
def test_the_customer_declines_from_home_and_the_partner_sees_why(
    live_server, page, second_page, acme, acme_admin, sam, alice, invite, language, width
):
    invitation, _path, _token = invite(acme)
    customer = second_page
    sign_in(customer, live_server.url, acme_admin.email, f.PASSWORD, admin_center=True)
    if language == "cs":
        switch_language(customer, "cs")
    customer.set_viewport_size({"width": width, "height": 844})
    customer.goto(f"{live_server.url}/admin-center/")
    assert_accessible(customer)
    customer.locator(f"a[href='/admin-center/requests/{invitation.public_id}/']").click()
    customer.wait_for_url(f"**/admin-center/requests/{invitation.public_id}/")
    assert customer.locator("input[name=accept_agreement]").count() == 1
    assert_accessible(customer)
    customer.locator(f"a[href='/admin-center/requests/{invitation.public_id}/decline/']").click()
    customer.wait_for_url("**/decline/")
    assert_accessible(customer)
    # Past the field's maxlength, as a browser without it would send (the server refuses).
    customer.locator("#id_reason").evaluate("field => field.removeAttribute('maxlength')")
    customer.locator("#id_reason").fill("x" * 1001)
    customer.locator("main form button[type=submit]").click()
    customer.locator(".invalid-feedback").first.wait_for()
    assert_accessible(customer)
    customer.locator("#id_reason").fill("Nakupujeme nyní napřímo.")
    customer.locator("main form button[type=submit]").click()
    customer.wait_for_url("**/admin-center/")
    assert customer.locator("[data-open-request]").count() == 0
    assert_accessible(customer)

    customer.goto(f"{live_server.url}/admin-center/partners/{sam.partner.partner_id}/")
    contacts = customer.locator("[data-partner-contacts]").inner_text()
    assert sam.email in contacts and alice.email in contacts
    assert_accessible(customer)

    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    if language == "cs":
        switch_language(page, "cs")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/customers/{acme.tenant_id}/")
    assert "Nakupujeme nyní napřímo." in page.locator("#invitations").inner_text()
    assert_accessible(page)
    page.goto(f"{live_server.url}/dashboard/")
    assert "Nakupujeme nyní napřímo." in page.locator("[data-declined-invitations]").inner_text()
    assert_accessible(page)


@pytest.mark.parametrize("language", ["en", "cs"])
def test_the_admin_center_lockout_says_for_how_long(live_server, page, acme_admin, language):
    page.goto(f"{live_server.url}/admin-center/login/")
    if language == "cs":
        switch_language(page, "cs")
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        page.goto(f"{live_server.url}/admin-center/login/")
        page.locator("#id_username").fill(acme_admin.email)
        page.locator("#id_password").fill("wrong password")
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
    duration = page.locator("main").inner_text()
    assert ("locked for 15 minutes" if language == "en" else "15 minut") in duration
    assert_accessible(page)
