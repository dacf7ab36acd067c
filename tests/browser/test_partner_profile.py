"""Partner profile in a real browser (issue 16): an admin agent reaches it from the left
navigation, is told clearly what is wrong with a bad web address or phone, saves its contact
details; its customer reads them on the partner's page in the admin center. English and Czech,
axe-clean."""

import pytest

from tests.browser.support import assert_accessible, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = {
    "en": {
        "nav": "Partner profile",
        "email": "Contact email (optional)",
        "phone": "Phone number (optional)",
        "website": "Website (optional)",
        "save": "Save",
        "bad_website": "Enter a valid web address, for example https://www.contoso.example.",
        "bad_phone": "Enter a valid phone number in international format, for example "
        "+420 601 123 456.",
        "saved": "Your contact details were saved.",
        "changed": "Partner contact details changed",
        "contact": "Contact",
    },
    "cs": {
        "nav": "Profil partnera",
        "email": "Kontaktní e-mail (volitelné)",
        "phone": "Telefonní číslo (volitelné)",
        "website": "Web (volitelné)",
        "save": "Uložit",
        "bad_website": "Zadejte platnou webovou adresu, například https://www.contoso.example.",
        "bad_phone": "Zadejte platné telefonní číslo v mezinárodním formátu, například "
        "+420 601 123 456.",
        "saved": "Vaše kontaktní údaje byly uloženy.",
        "changed": "Změněny kontaktní údaje partnera",
        "contact": "Kontakt",
    },
}


def in_language(page, url: str, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": url}])


@pytest.mark.parametrize("language", ["en", "cs"])
def test_an_admin_names_its_contact_details_and_its_customer_reads_them(
    live_server, page, second_page, alice, contoso, acme, acme_admin, language
):
    words = TEXT[language]
    # Signed in the English way (the helper reads English labels), then in the language.
    sign_in(page, live_server.url, alice.email, PASSWORD)
    in_language(page, live_server.url, language)
    page.goto(f"{live_server.url}/dashboard/")
    with page.expect_navigation():
        page.locator("#side-nav").get_by_role("link", name=words["nav"]).click()
    assert page.get_by_role("heading", level=1).inner_text() == words["nav"]
    assert contoso.partner_id in page.locator("main").inner_text()
    assert_accessible(page)

    # Bad input: each field says what is wrong, nothing is saved.
    page.get_by_label(words["email"]).fill("podpora@contoso.example")
    page.get_by_label(words["phone"]).fill("12345")
    page.get_by_label(words["website"]).fill("not a web address")
    with page.expect_navigation():
        page.locator("#partner-profile-form").get_by_role("button", name=words["save"]).click()
    assert page.get_by_text(words["bad_website"]).is_visible()
    assert page.get_by_text(words["bad_phone"]).is_visible()
    contoso.refresh_from_db()
    assert contoso.contact_email == ""
    assert_accessible(page)

    page.get_by_label(words["phone"]).fill("+420 222 333 444")
    page.get_by_label(words["website"]).fill("www.contoso.example")
    with page.expect_navigation():
        page.locator("#partner-profile-form").get_by_role("button", name=words["save"]).click()
    assert page.get_by_text(words["saved"]).is_visible()
    assert page.get_by_role("cell", name=words["changed"]).first.is_visible()
    assert_accessible(page)
    contoso.refresh_from_db()
    assert contoso.website == "https://www.contoso.example"

    # The customer's side: Contoso's page in the admin center says how to reach it.
    customer = second_page
    sign_in(customer, live_server.url, acme_admin.email, PASSWORD, admin_center=True)
    in_language(customer, live_server.url, language)
    customer.goto(f"{live_server.url}/admin-center/partners/{contoso.partner_id}/")
    section = customer.locator("section[aria-labelledby=contacts-heading]")
    assert section.get_by_role("heading", level=2).inner_text() == words["contact"]
    assert section.get_by_role("link", name="podpora@contoso.example").get_attribute("href") == (
        "mailto:podpora@contoso.example"
    )
    assert section.get_by_role("link", name="+420 222 333 444").get_attribute("href") == (
        "tel:+420222333444"
    )
    assert section.get_by_role("link", name="https://www.contoso.example").is_visible()
    assert alice.email not in section.inner_text()
    assert_accessible(customer)


def test_a_phone_shows_the_profile_without_overflow(live_server, page, alice):
    page.set_viewport_size({"width": 390, "height": 900})
    sign_in(page, live_server.url, alice.email, PASSWORD)
    page.goto(f"{live_server.url}/agents/profile/")
    assert page.get_by_role("heading", level=1).inner_text() == "Partner profile"
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert_accessible(page)
