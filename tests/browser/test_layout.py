"""The layout (issue 16): a header that stays one row at 1280 and 1366 px, the navigation on the
left (collapsible, keyboard-reachable, the current page marked) that folds behind a button on
a phone, and tables that scroll inside their own box with the name and status in view; axe-clean
in English and Czech at 1280 px and 390 px."""

import pytest
from django.core.management import call_command

from demo.management.commands.demo import DEMO_PASSWORD
from tests.browser.support import assert_accessible, sign_in, switch_language

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 800}
WIDE = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def assert_header_is_one_row(page) -> None:
    """The brand, the identity and Sign out sit side by side: their boxes share one line."""
    header = page.locator("[data-portal-header]").bounding_box()
    boxes = [
        page.locator(".portal-brand").bounding_box(),
        page.locator("#language-select").bounding_box(),
        page.locator("[data-identity]").bounding_box(),
        page.locator("[data-sign-out]").bounding_box(),
    ]
    middles = [box["y"] + box["height"] / 2 for box in boxes]
    assert max(middles) - min(middles) < 8, boxes
    assert header["height"] < 64, header
    # In that order, left to right, none past the right edge.
    lefts = [box["x"] for box in boxes]
    assert lefts == sorted(lefts), boxes
    assert boxes[-1]["x"] + boxes[-1]["width"] <= page.viewport_size["width"]


def assert_header_is_one_row_on_a_phone(page, code: str) -> None:
    """At 390 px: the brand, the language select (showing its code), Change and the account
    menu's button share one line inside the viewport; the identity waits in the menu."""
    header = page.locator("[data-portal-header]").bounding_box()
    boxes = [
        page.locator(".portal-brand").bounding_box(),
        page.locator("#language-select").bounding_box(),
        page.locator("form[action$='/i18n/setlang/'] button[type=submit]").bounding_box(),
        page.locator("[data-account-toggle]").bounding_box(),
    ]
    middles = [box["y"] + box["height"] / 2 for box in boxes]
    assert max(middles) - min(middles) < 8, boxes
    assert header["height"] < 64, header
    lefts = [box["x"] for box in boxes]
    assert lefts == sorted(lefts), boxes
    assert boxes[-1]["x"] + boxes[-1]["width"] <= page.viewport_size["width"], boxes
    assert page.locator("#language-select option:checked").evaluate("o => o.label") == code
    assert not page.locator("[data-identity]").is_visible()
    assert_no_sideways_page_scroll(page)


def assert_account_menu_works_from_the_keyboard(page) -> None:
    """The menu's button opens it (Enter), Tab walks into it, Escape closes it and hands the
    focus back; axe-clean open."""
    toggle = page.locator("[data-account-toggle]")
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("[data-identity]").is_visible()
    sign_out = page.locator("[data-sign-out]")
    assert_in_view(page, sign_out)
    assert_accessible(page)
    for _ in range(3):
        page.keyboard.press("Tab")
        if sign_out.evaluate("element => element === document.activeElement"):
            break
    assert sign_out.evaluate("element => element === document.activeElement")
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("[data-identity]").is_visible()
    assert toggle.evaluate("element => element === document.activeElement")


def assert_no_sideways_page_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


def assert_in_view(page, locator) -> None:
    box = locator.bounding_box()
    assert box is not None
    assert 0 <= box["x"] and box["x"] + box["width"] <= page.viewport_size["width"], box


def test_the_header_is_one_row_at_1280_and_1366_px_in_both_languages(live_server, page, tmp_path):
    call_command("demo", verbosity=0)
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server.url, "admin@contoso.example", DEMO_PASSWORD)
    page.wait_for_url("**/dashboard/")
    page.goto(f"{live_server.url}/customers/")
    for language in ("en", "cs"):
        switch_language(page, language)
        for size in (DESKTOP, WIDE):
            page.set_viewport_size(size)
            assert_header_is_one_row(page)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=tmp_path / "header-1280.png")
    switch_language(page, "en")

    # The admin center's header too, with its longer sign-in names.
    sign_in(
        page,
        live_server.url,
        "admin@zeleninasvoboda.onmicrosoft.com",
        DEMO_PASSWORD,
        admin_center=True,
    )
    page.wait_for_url("**/admin-center/")
    for size in (DESKTOP, WIDE):
        page.set_viewport_size(size)
        assert_header_is_one_row(page)


def test_the_header_is_one_row_at_390_px_in_english_and_czech(live_server, page):
    call_command("demo", verbosity=0)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, "admin@contoso.example", DEMO_PASSWORD)
    page.wait_for_url("**/dashboard/")
    page.goto(f"{live_server.url}/customers/")
    for language in ("en", "cs"):
        switch_language(page, language)
        assert_header_is_one_row_on_a_phone(page, language.upper())
        assert_accessible(page)
        assert_account_menu_works_from_the_keyboard(page)
    # Wider again, the menu's button steps aside and the identity is back in the row.
    page.set_viewport_size(DESKTOP)
    assert not page.locator("[data-account-toggle]").is_visible()
    assert page.locator("#language-select option:checked").evaluate("o => o.label") == "Čeština"
    assert_header_is_one_row(page)
    page.set_viewport_size(PHONE)
    page.locator("[data-account-toggle]").click()
    page.get_by_role("button", name="Odhlásit se").click()
    page.wait_for_url("**/login/**")
    assert_header_is_one_row_without_account(page)
    switch_language(page, "en")

    # The admin center's longest brand ("Centrum pro správu") still leaves one row.
    sign_in(
        page,
        live_server.url,
        "admin@zeleninasvoboda.onmicrosoft.com",
        DEMO_PASSWORD,
        admin_center=True,
    )
    page.wait_for_url("**/admin-center/")
    assert_header_is_one_row_on_a_phone(page, "EN")
    switch_language(page, "cs")
    assert_header_is_one_row_on_a_phone(page, "CS")
    assert_accessible(page)
    assert_account_menu_works_from_the_keyboard(page)


def assert_header_is_one_row_without_account(page) -> None:
    brand = page.locator(".portal-brand").bounding_box()
    select = page.locator("#language-select").bounding_box()
    assert abs((brand["y"] + brand["height"] / 2) - (select["y"] + select["height"] / 2)) < 8
    assert page.locator("[data-account-toggle]").count() == 0
    assert_no_sideways_page_scroll(page)


def test_the_customer_list_and_account_info_at_1280_and_390_px(live_server, page):
    call_command("demo", verbosity=0)
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server.url, "admin@contoso.example", DEMO_PASSWORD)
    page.wait_for_url("**/dashboard/")
    navigation = page.get_by_role("navigation", name="Main navigation")
    navigation.get_by_role("link", name="Customers").click()
    page.wait_for_url("**/customers/")
    current = navigation.locator("[aria-current=page]")
    assert current.inner_text() == "Customers"
    assert_accessible(page)

    switch_language(page, "cs")
    assert (
        page.get_by_role("navigation", name="Hlavní navigace")
        .locator("[aria-current=page]")
        .inner_text()
        == "Zákazníci"
    )
    assert_accessible(page)

    page.set_viewport_size(PHONE)
    assert_accessible(page)
    assert_no_sideways_page_scroll(page)
    # The navigation waits behind a button; the first row's name and status are in view.
    assert not page.locator("#side-nav").is_visible()
    first_row = page.locator("table tbody tr").first
    assert_in_view(page, first_row.locator("td").first)
    assert_in_view(page, first_row.locator(".badge"))
    page.get_by_role("button", name="Otevřít navigaci").click()
    menu = page.get_by_role("navigation", name="Hlavní navigace")
    menu.get_by_role("link", name="Zákazníci").wait_for()
    assert_accessible(page)
    page.keyboard.press("Escape")
    menu.wait_for(state="hidden")

    first_row.locator("td a").first.click()
    page.wait_for_load_state()
    assert_no_sideways_page_scroll(page)
    assert_accessible(page)

    switch_language(page, "en")
    assert_no_sideways_page_scroll(page)
    assert_accessible(page)
    page.set_viewport_size(DESKTOP)
    assert page.locator("#side-nav").is_visible()
    assert_accessible(page)


def test_the_navigation_collapses_and_is_reachable_from_the_keyboard(live_server, page):
    call_command("demo", verbosity=0)
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server.url, "sales@contoso.example", DEMO_PASSWORD)
    page.wait_for_url("**/dashboard/")
    page.goto(f"{live_server.url}/offers/")
    current = page.locator("#side-nav [aria-current=page]")
    assert current.count() == 1 and current.inner_text() == "Offers"

    # Tab from the top: skip link, the navigation button, the brand, the header's tools, then
    # the navigation's links, each in turn.
    page.locator("body").focus()
    labels = []
    for _ in range(12):
        page.keyboard.press("Tab")
        labels.append(page.evaluate("document.activeElement.textContent.trim()"))
    assert labels[0] == "Skip to main content"
    assert "Dashboard" in labels and "Customers" in labels
    assert labels.index("Dashboard") > labels.index("Sign out")

    toggle = page.get_by_role("button", name="Navigation")
    assert toggle.get_attribute("aria-expanded") == "true"
    toggle.click()
    assert not page.locator("#side-nav").is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    page.reload()
    assert not page.locator("#side-nav").is_visible()  # remembered
    page.get_by_role("button", name="Navigation").press("Enter")
    assert page.locator("#side-nav").is_visible()
    assert_accessible(page)


def test_the_admin_center_home_at_1280_and_390_px(live_server, page):
    call_command("demo", verbosity=0)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/admin-center/login/")
    sign_in(
        page,
        live_server.url,
        "admin@zeleninasvoboda.onmicrosoft.com",
        DEMO_PASSWORD,
        admin_center=True,
    )
    page.wait_for_url("**/admin-center/")
    navigation = page.get_by_role("navigation", name="Main navigation")
    assert navigation.locator("[aria-current=page]").inner_text() == "Home"
    assert navigation.get_by_role("link").count() == 2
    assert_accessible(page)

    switch_language(page, "cs")
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert_no_sideways_page_scroll(page)
    assert_accessible(page)
    page.get_by_role("button", name="Otevřít navigaci").click()
    page.get_by_role("navigation", name="Hlavní navigace").get_by_role(
        "link", name="Partneři"
    ).click()
    page.wait_for_url("**/admin-center/partners/")
    assert page.locator("#side-nav [aria-current=page]").text_content() == "Partneři"
    assert_accessible(page)

    switch_language(page, "en")
    assert_no_sideways_page_scroll(page)
    page.goto(f"{live_server.url}/admin-center/")
    assert_accessible(page)


def test_a_blocked_customers_home_says_whom_to_ask(live_server, page):
    """Flow D: the customer blocked for its partner (R6) reads what to do, in both languages."""
    call_command("demo", verbosity=0)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/admin-center/login/")
    sign_in(
        page,
        live_server.url,
        "admin@tiskarnacerny.onmicrosoft.com",
        DEMO_PASSWORD,
        admin_center=True,
    )
    page.wait_for_url("**/admin-center/")
    block = page.locator("[data-blocked-partner]")
    assert "Contact your partner to attest" in block.inner_text()
    assert_accessible(page)
    switch_language(page, "cs")
    assert "Obraťte se na svého partnera" in page.locator("[data-blocked-partner]").inner_text()
    assert_accessible(page)
