import pytest
from django.core.management import call_command

from demo.management.commands.demo import DEMO_PASSWORD
from tests.browser.support import assert_accessible, sign_in, switch_language

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_agent_signs_in_switches_to_czech_and_signs_out(live_server, page):
    call_command("demo", verbosity=0)
    page.goto(f"{live_server.url}/login/")
    assert_accessible(page)

    sign_in(page, live_server.url, "admin@contoso.example", DEMO_PASSWORD)
    page.wait_for_url("**/dashboard/")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Adéla"
    assert "signed in as admin agent of Contoso Partner" in page.content()
    assert_accessible(page)

    switch_language(page, "cs")
    assert page.locator("html").get_attribute("lang") == "cs"
    assert page.get_by_role("heading", level=1).inner_text() == "Vítejte, Adéla"
    assert "přihlášeni jako agent správce" in page.content()
    assert_accessible(page)

    page.get_by_role("button", name="Odhlásit se").click()
    page.wait_for_url("**/login/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Přihlášení k partnerskému portálu"
    assert_accessible(page)

    switch_language(page, "en")
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in to the partner portal"


def test_the_admin_center_sign_in_page_is_accessible(live_server, page):
    page.goto(f"{live_server.url}/admin-center/login/")
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in to the admin center"
    assert_accessible(page)
    switch_language(page, "cs")
    assert_accessible(page)


def test_a_bad_sign_in_shows_an_accessible_error(live_server, page):
    call_command("demo", verbosity=0)
    sign_in(page, live_server.url, "admin@contoso.example", "wrong-password")
    assert "Enter a correct email address and password." in page.content()
    assert_accessible(page)
