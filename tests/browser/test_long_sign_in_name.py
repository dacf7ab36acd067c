"""The admin center's header with a long sign-in name, at 1280 and 390 px in English and
Czech: the name is shown whole (at 1280 px in the header's row, at 390 px in the account menu),
nothing clipped, wrapped only at its seams; the page doesn't scroll sideways; axe-clean."""

import pytest
from django.core.management import call_command

from customers.models import Customer
from tests import factories as f
from tests.browser.support import assert_accessible, sign_in, switch_language
from tests.browser.test_audit_log_emails import LINE_BREAKS

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
LONG = "administrator.fakturace@vinarstvi-vesely-a-synove.onmicrosoft.com"


def assert_identity_whole(page) -> None:
    identity = page.locator("[data-identity]")
    assert identity.is_visible()
    assert identity.inner_text().replace("\n", "") == LONG
    widths = identity.evaluate("element => [element.scrollWidth, element.clientWidth]")
    assert widths[0] <= widths[1], widths
    for pair in identity.evaluate(LINE_BREAKS):
        assert pair[0] in "@-" or pair[1] == ".", pair
    box = identity.bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= page.viewport_size["width"], box
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_a_long_sign_in_name_is_shown_whole_at_1280_and_390_px(live_server, page):
    call_command("demo", verbosity=0)
    customer = Customer.objects.get(domain="zeleninasvoboda.onmicrosoft.com")
    f.CustomerAdminFactory(customer=customer, email=LONG, must_change_password=False)
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server.url, LONG, f.PASSWORD, admin_center=True)
    page.wait_for_url("**/admin-center/")
    for language in ("en", "cs"):
        switch_language(page, language)
        page.set_viewport_size(DESKTOP)
        assert_identity_whole(page)
        # At 1280 px it stays in the header's one row, beside Sign out.
        sign_out = page.locator("[data-sign-out]").bounding_box()
        name = page.locator("[data-identity]").bounding_box()
        assert abs((name["y"] + name["height"] / 2) - (sign_out["y"] + sign_out["height"] / 2)) < 8
        assert page.locator("[data-portal-header]").bounding_box()["height"] < 64
        assert_accessible(page)

        page.set_viewport_size(PHONE)
        assert not page.locator("[data-identity]").is_visible()
        page.locator("[data-account-toggle]").click()
        assert_identity_whole(page)
        assert_accessible(page)
        page.keyboard.press("Escape")
    page.set_viewport_size(DESKTOP)
    switch_language(page, "en")
