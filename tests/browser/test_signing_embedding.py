"""Embedding the signing page in real Chromium: an admin agent reaches it from Partner profile
(which stays the current navigation entry, with a breadcrumb back), is told line by line what
is wrong with an http and a wildcard site under the form's error summary, then saves. English
and Czech, axe-clean."""

import pytest

from signing.models import FramingSettings
from tests.browser.support import assert_accessible, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = {
    "en": {
        "nav": "Partner profile",
        "link": "Choose the sites that may embed the signing page",
        "heading": "Embedding the signing page",
        "field": "Sites that may embed the signing page",
        "save": "Save",
        "summary": "Please correct the errors below.",
        "http": "Line 1 (“http://insecure.example”): use https://.",
        "wildcard": "Line 2 (“https://*.example.com”): wildcards (*) are not allowed.",
        "saved": "The signing page's embedding settings were saved.",
    },
    "cs": {
        "nav": "Profil partnera",
        "link": "Vyberte weby, které smějí vložit stránku k podpisu",
        "heading": "Vkládání stránky k podpisu",
        "field": "Weby, které smějí vkládat stránku k podpisu",
        "save": "Uložit",
        "summary": "Opravte prosím níže uvedené chyby.",
        "http": "Řádek 1 („http://insecure.example“): použijte https://.",
        "wildcard": "Řádek 2 („https://*.example.com“): zástupné znaky (*) nejsou povoleny.",
        "saved": "Nastavení vkládání stránky k podpisu bylo uloženo.",
    },
}


@pytest.mark.parametrize("language", ["en", "cs"])
def test_an_admin_finds_the_page_is_told_what_is_wrong_and_saves(
    live_server, page, alice, contoso, language
):
    words = TEXT[language]
    sign_in(page, live_server.url, alice.email, PASSWORD)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/dashboard/")
    with page.expect_navigation():
        page.locator("#side-nav").get_by_role("link", name=words["nav"]).click()
    with page.expect_navigation():
        page.get_by_role("link", name=words["link"]).click()
    assert page.get_by_role("heading", level=1).inner_text() == words["heading"]
    current = page.locator('#side-nav [aria-current="page"]')
    assert current.inner_text() == words["nav"]
    assert page.locator(".breadcrumb a").inner_text() == words["nav"]
    assert_accessible(page)

    page.get_by_label(words["field"]).fill("http://insecure.example\nhttps://*.example.com")
    with page.expect_navigation():
        page.get_by_role("button", name=words["save"]).click()
    assert page.get_by_role("alert").first.inner_text() == words["summary"]
    errors = page.locator("main").inner_text()
    assert words["http"] in errors and words["wildcard"] in errors
    assert not FramingSettings.objects.exists()
    assert_accessible(page)

    page.get_by_label(words["field"]).fill("https://www.contoso.example")
    with page.expect_navigation():
        page.get_by_role("button", name=words["save"]).click()
    assert words["saved"] in page.locator("main").inner_text()
    assert FramingSettings.objects.get(partner=contoso).origins == ["https://www.contoso.example"]
    assert_accessible(page)
