"""The agents page and the audit log in a real browser: English and Czech, at 1280 px and on a
phone (390 px), axe-clean; an admin invites an agent, who chooses a password from the link."""

import re

import pytest
from django.core import mail

from portal.models import Role
from tests.browser.support import assert_accessible, sign_in, switch_language
from tests.factories import PASSWORD
from tests.portal.agents_helpers import link_in_last_email

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_an_admin_manages_agents_in_english_and_czech(live_server, page, alice, sam, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, alice.email, PASSWORD)
    page.wait_for_url("**/dashboard/")
    page.goto(f"{live_server.url}/agents/")
    assert page.get_by_role("heading", level=1).inner_text() == "Agents"
    assert page.get_by_role("link", name=sam.email).is_visible()
    assert_accessible(page)
    # On a phone the table keeps the agent, the role and the status in view.
    assert page.get_by_role("cell", name="Sales agent").is_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow

    # Bad input: the form says what is wrong.
    page.get_by_role("button", name="Send the invitation").click()
    assert page.get_by_text("This field is required.").first.is_visible()
    assert_accessible(page)

    page.get_by_label("Email address").fill("nina@contoso.example")
    page.get_by_label("First name").fill("Nina")
    page.get_by_label("Last name").fill("Nováková")
    page.get_by_label("Role").select_option(Role.HELPDESK_AGENT)
    page.get_by_role("button", name="Send the invitation").click()
    assert page.get_by_text("nina@contoso.example is invited").is_visible()

    page.get_by_role("link", name=sam.email).click()
    assert page.get_by_role("heading", level=1).inner_text() == sam.get_full_name()
    assert_accessible(page)
    page.get_by_role("button", name="Deactivate").click()
    assert page.get_by_text("is deactivated").is_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/agents/{alice.pk}/")
    page.get_by_role("combobox", name="Role").select_option(Role.SALES_AGENT)
    page.get_by_role("button", name="Change the role").click()
    assert page.get_by_text("last active admin agent").is_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/agents/audit-log/")
    assert page.get_by_role("heading", level=1).inner_text() == "Audit log"
    assert page.get_by_role("cell", name="Agent deactivated").is_visible()
    assert_accessible(page)

    in_czech(page, live_server.url)
    page.reload()
    assert page.get_by_role("heading", level=1).inner_text() == "Auditní protokol"
    assert_accessible(page)
    page.goto(f"{live_server.url}/agents/")
    assert page.get_by_role("heading", level=1).inner_text() == "Agenti"
    assert page.get_by_text("Deaktivován").first.is_visible()
    assert_accessible(page)
    page.get_by_role("link", name=sam.email).click()
    assert_accessible(page)


def test_an_invited_agent_chooses_a_password_and_signs_in(live_server, page, alice):
    from portal import agents

    nina = agents.invite_agent(
        by=alice,
        email="nina@contoso.example",
        first_name="Nina",
        last_name="N",
        role=Role.SALES_AGENT,
    )
    assert mail.outbox
    page.goto(live_server.url + link_in_last_email(nina.email))
    assert page.get_by_role("heading", level=1).inner_text() == "Choose your password"
    assert_accessible(page)
    page.locator("#id_new_password1").fill("Nina-strong-pass-2026")
    page.locator("#id_new_password2").fill("Nina-strong-pass-2026")
    page.get_by_role("button", name="Save and continue").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Password saved"
    assert_accessible(page)
    sign_in(page, live_server.url, nina.email, "Nina-strong-pass-2026")
    page.wait_for_url("**/dashboard/")


def test_password_reset_pages_and_the_lockout_page(live_server, page, sam):
    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Reset your password"
    assert_accessible(page)
    page.get_by_label("Email address").fill(sam.email)
    page.get_by_role("button", name="Send the link").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    assert_accessible(page)
    switch_language(page, "cs")
    assert_accessible(page)
    page.goto(live_server.url + link_in_last_email(sam.email))
    assert page.get_by_role("heading", level=1).inner_text() == "Zvolte nové heslo"
    assert_accessible(page)

    for _ in range(6):
        sign_in_cs(page, live_server.url, sam.email, "wrong-wrong-wrong")
    assert re.search(r"zablokován na 15 minut", page.content())
    assert_accessible(page)


def in_czech(page, url):
    """Czech from now on (the language cookie: at phone width the language form sits in the
    collapsed navigation)."""
    page.context.add_cookies([{"name": "django_language", "value": "cs", "url": url}])


def sign_in_cs(page, url, email, password):
    page.goto(f"{url}/login/")
    page.get_by_label("E-mailová adresa").fill(email)
    page.get_by_label("Heslo").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Přihlásit se").click()
