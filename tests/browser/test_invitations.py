"""B2 and C end to end in real Chromium: the agent composes and copies, the customer accepts in a
second browser; D1 shows the contact-your-partner message; axe-core on every page, en and cs."""

import re

import pytest

from invitations.models import InvitationKind
from invitations.services import create_invitation
from orders.models import Order
from tests import factories as f
from tests.browser.support import (
    assert_accessible,
    fill_account_info,
    sign_in,
    switch_language,
)

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "Zelena-Louka-42-Kvete"


def request_new_customer(page) -> None:
    page.get_by_role("link", name="Customers", exact=True).first.click()
    page.get_by_role("link", name="Request a reseller relationship").click()
    fill_account_info(
        page,
        prefix="new-",
        company="Fourth Coffee s.r.o.",
        domain="fourthcoffee",
        language="en",
        first_name="Karel",
        email="karel@fourthcoffee.example",
    )
    assert_accessible(page)
    page.get_by_role("button", name="Create and continue").click()
    page.wait_for_url("**/compose/")


def line_after(text: str, label: str) -> str:
    """The first non-empty text after a label (on its line or the next)."""
    return next(line.strip() for line in text.split(label, 1)[1].splitlines() if line.strip())


def test_an_invited_customer_signs_in_changes_the_password_and_accepts(
    live_server, settings, page, second_page, sam, template_cz
):
    settings.PORTAL_BASE_URL = live_server.url
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    request_new_customer(page)

    # The agent edits the draft, copies it and sees the confirmation; the clipboard holds the link.
    body = page.locator("#id_body")
    body.fill(body.input_value().replace("Dear Karel,", "Dear Karel, as promised:"))
    assert "as%20promised" in page.get_by_role("link", name="Open in email").get_attribute("href")
    composer = page.get_by_role("region", name="Email to the customer")
    composer.get_by_role("button", name="Copy to clipboard").click()
    page.get_by_text("Copied to the clipboard.").wait_for()
    assert_accessible(page)
    copied = page.evaluate("navigator.clipboard.readText()")
    link = line_after(copied, "accept it:")
    assert link.startswith(f"{live_server.url}/admin-center/invitation/")
    sign_in_name = line_after(copied, "Sign-in name:")
    password = line_after(copied, "Temporary password:")
    assert "as promised" in copied
    # The credentials are shown once in a block of their own too, beside the editable message.
    credentials = page.get_by_role("region", name="Customer credentials")
    assert credentials.locator("#temporary-password").inner_text() == password

    # The customer, in a separate browser, opens the link: who asks what, and nothing changes.
    customer = second_page
    customer.goto(link)
    assert (
        "Invitation from Contoso Partner" in customer.get_by_role("heading", level=1).inner_text()
    )
    assert_accessible(customer)
    customer.get_by_role("link", name="Sign in to continue").click()
    assert_accessible(customer)
    customer.get_by_label("Sign-in name").fill(sign_in_name)
    customer.get_by_label("Password").fill(password)
    customer.get_by_role("button", name="Sign in").click()

    # The first sign-in forces a new password and then returns to the invitation.
    customer.wait_for_url("**/admin-center/password/**")
    assert_accessible(customer)
    customer.locator("#id_old_password").fill(password)
    customer.locator("#id_new_password1").fill(NEW_PASSWORD)
    customer.locator("#id_new_password2").fill(NEW_PASSWORD)
    customer.get_by_role("button", name="Change password").click()
    customer.wait_for_url(link)

    relationship_box = customer.locator("input[name=accept_relationship]")
    agreement_box = customer.locator("input[name=accept_agreement]")
    assert not relationship_box.is_checked()
    assert not agreement_box.is_checked()
    assert "SAMPLE agreement text" in customer.locator("pre.agreement-text").inner_text()
    assert_accessible(customer)
    relationship_box.check()
    agreement_box.check()
    customer.get_by_role("button", name="Accept", exact=True).click()

    customer.wait_for_url("**/admin-center/partners/")
    row = customer.get_by_role("row", name="Contoso Partner")
    assert "Active" in row.inner_text()
    assert "Accepted by you" in row.inner_text()  # the customer reads it about itself
    assert_accessible(customer)
    with customer.expect_navigation():
        customer.get_by_role("link", name="Contoso Partner").click()
    assert "Direct acceptance" in customer.content()
    assert_accessible(customer)

    # The partner now sees the invitation accepted.
    page.goto(f"{live_server.url}/invitations/")
    assert "Accepted" in page.get_by_role("row", name="Fourth Coffee").inner_text()
    assert_accessible(page)


@pytest.fixture
def d1_link(settings, live_server, acme, sam, contoso):
    """Acme bought through Contoso before; Contoso now invites it to accept the agreement."""
    settings.PORTAL_BASE_URL = live_server.url
    order = f.OrderFactory(customer=acme, partner=contoso)
    f.OrderLineFactory(order=order)
    assert Order.objects.filter(customer=acme).exists()
    _invitation, link = create_invitation(
        partner=contoso, customer=acme, kind=InvitationKind.EXISTING_CUSTOMER, created_by=sam
    )
    return link


@pytest.mark.parametrize("language", ["en", "cs"])
def test_a_d1_customer_is_asked_to_contact_its_partner(
    live_server, page, second_page, d1_link, acme_admin, sam, acme, language
):
    customer = second_page
    sign_in(customer, live_server.url, acme_admin.email, f.PASSWORD, admin_center=True)
    if language == "cs":
        switch_language(customer, "cs")
    customer.goto(d1_link)
    message = customer.locator("#blocked-message")
    if language == "en":
        assert (
            "Contact your partner to attest acceptance of the Microsoft Customer Agreement"
            in message.inner_text()
        )
    assert customer.locator("input[type=checkbox]").count() == 0
    assert_accessible(customer)

    # The partner's customer page asks it to attest, with a button to the attestation form.
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    if language == "cs":
        switch_language(page, "cs")
    page.goto(f"{live_server.url}/customers/{acme.tenant_id}/")
    # In the agreement section (issue 16), not under Invitations.
    notice = page.locator("#agreement [data-partner-must-attest]")
    attest = notice.locator(f"a[href='/customers/{acme.tenant_id}/agreement/update/']")
    assert attest.is_visible()
    assert_accessible(page)


@pytest.mark.parametrize("language", ["en", "cs"])
def test_every_page_of_the_invitations_is_accessible(
    live_server, settings, page, second_page, sam, acme, acme_admin, language
):
    settings.PORTAL_BASE_URL = live_server.url
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    if language == "cs":
        switch_language(page, "cs")
    for path in ("/invitations/request/", f"/customers/{acme.tenant_id}/", "/customers/"):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
    # Bad input on the request page, then the composer from Account info.
    page.goto(f"{live_server.url}/invitations/request/")
    page.locator("input[name=which][value=existing] ~ button").first.click()
    assert_accessible(page)
    page.goto(f"{live_server.url}/customers/{acme.tenant_id}/")
    page.locator("#invitations form button").first.click()
    page.wait_for_url("**/compose/")
    assert_accessible(page)
    # Acme's email is in Czech: find the link itself.
    link = re.search(
        r"http\S+/admin-center/invitation/\S+/", page.locator("#id_body").input_value()
    )[0]
    page.reload()
    assert_accessible(page)
    page.goto(f"{live_server.url}/invitations/")
    assert_accessible(page)

    customer = second_page
    customer.goto(link)
    if language == "cs":
        switch_language(customer, "cs")
    assert_accessible(customer)
    customer.goto(f"{live_server.url}/admin-center/invitation/not-a-real-token/")
    assert_accessible(customer)
    # By field ids: the labels are Czech in the Czech run.
    customer.goto(f"{live_server.url}/admin-center/login/")
    customer.locator("#id_username").fill(acme_admin.email)
    customer.locator("#id_password").fill(f.PASSWORD)
    customer.locator("main form button[type=submit]").click()
    customer.wait_for_url("**/admin-center/")
    for path in (link, "/admin-center/", "/admin-center/partners/", "/admin-center/password/"):
        customer.goto(path if path.startswith("http") else f"{live_server.url}{path}")
        assert_accessible(customer)
    customer.goto(link)
    customer.locator("form[action$='/accept/'] button[type=submit]").click()
    assert_accessible(customer)


@pytest.mark.parametrize("language", ["en", "cs"])
def test_b1_the_confirmation_page_holds_the_email_draft(
    live_server, settings, page, sam, template_cz, language
):
    settings.PORTAL_BASE_URL = live_server.url
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    if language == "cs":
        switch_language(page, "cs")
    page.goto(f"{live_server.url}/customers/new/")
    fill_account_info(page)
    page.locator("input[name=agreement][value=invite]").check()
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/customers/new/review/*/")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/created/")

    password = page.locator("#temporary-password").inner_text()
    body = page.locator("#id_body").input_value()
    assert password in body
    assert "admin@wingtip.onmicrosoft.com" in body
    link = re.search(r"http\S+/admin-center/invitation/\S+/", body)[0]
    assert link.startswith(live_server.url)
    page.locator("[data-copy]").click()
    page.locator("[data-copy-status]").filter(has_text=re.compile(".+")).wait_for()
    assert link in page.evaluate("navigator.clipboard.readText()")
    assert_accessible(page)


def test_a_link_deleted_from_the_message_is_copied_back_from_its_own_field(
    live_server, settings, page, sam, acme
):
    settings.PORTAL_BASE_URL = live_server.url
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    page.goto(f"{live_server.url}/customers/{acme.tenant_id}/")
    page.get_by_role("button", name="Invite to accept the agreement").click()
    page.wait_for_url("**/compose/")
    link = page.get_by_label("Invitation link").input_value()
    body = page.locator("#id_body")
    original = body.input_value()
    assert link in original
    body.fill(original.replace(link, ""))
    page.get_by_role("button", name="Send", exact=True).click()
    page.get_by_text("Copy it from the Invitation link field into the message").wait_for()
    assert page.get_by_label("Invitation link").input_value() == link
    assert_accessible(page)
    page.get_by_role("button", name="Copy the link").click()
    page.locator("[data-copy-link-status]").filter(has_text="Copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == link
    body.fill(original)
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_url("**/invitations/")
    page.get_by_text("The invitation was sent to").wait_for()
