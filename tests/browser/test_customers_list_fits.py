"""The customers list fits a 1280 px window without scrolling sideways, in English and Czech,
with the longest things it shows (a long domain, the Czech "blocked" badge, a country of three
words, both dates); on a phone it scrolls in its own box, never the page. Axe-clean."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests import factories as f
from tests.browser.support import assert_accessible, sign_in, switch_language
from tests.customers.listing import customer_of
from tests.portfolio.conftest import block

pytestmark = pytest.mark.django_db(transaction=True)

MEASURE = """() => {
  const table = document.querySelector('main table') || document.querySelector('table');
  const box = table.closest('.table-responsive');
  const headers = [...table.querySelectorAll('thead th')].map(
    th => [th.innerText.trim(), th.getBoundingClientRect().width, th.scrollWidth, th.clientWidth]);
  return {table: table.scrollWidth, box: box.clientWidth, boxScroll: box.scrollWidth,
          page: document.documentElement.scrollWidth, viewport: window.innerWidth, headers};
}"""


@pytest.fixture
def customers(alice, template_cz):
    partner = alice.partner
    long_domain = customer_of(
        partner,
        "Graphic Design Institute",
        domain="graphicdesigninstitute.onmicrosoft.com",
        country="US",
    )
    f.attest(long_domain, alice, date_agreed=timezone.localdate() - datetime.timedelta(days=20))
    blocked = customer_of(partner, "Tiskárna Černý s.r.o.", domain="tiskarnacerny.onmicrosoft.com")
    block(blocked, alice)
    for name, domain in [
        ("Wide World Importers Ltd", "wideworldimporters.onmicrosoft.com"),
        ("Bäckerei Schmidt GmbH", "baeckereischmidt.onmicrosoft.com"),
    ]:
        customer_of(partner, name, domain=domain, country="GB")


def assert_fits(page) -> None:
    sizes = page.evaluate(MEASURE)
    assert sizes["table"] <= sizes["box"], sizes
    assert sizes["page"] <= sizes["viewport"], sizes
    for text, _width, scroll, client in sizes["headers"]:
        assert scroll <= client, (text, sizes)  # no header cut ("Last accep…")


def test_the_list_fits_1280_px_in_english_and_czech(live_server, page, alice, customers):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, alice.email, f.PASSWORD)
    with page.expect_navigation():
        page.goto(f"{live_server.url}/customers/")
    assert page.get_by_role("columnheader", name="Created").is_visible()
    assert page.get_by_role("columnheader", name="Domain").is_visible()
    assert_fits(page)
    assert_accessible(page)
    switch_language(page, "cs")
    assert page.get_by_role("columnheader", name="Vytvořeno").is_visible()
    assert page.get_by_role("columnheader", name="Poslední přijetí").is_visible()
    assert_fits(page)
    assert_accessible(page)


def test_on_a_phone_the_table_scrolls_in_its_own_box(live_server, page, alice, customers):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, alice.email, f.PASSWORD)
    page.goto(f"{live_server.url}/customers/")
    switch_language(page, "cs")
    sizes = page.evaluate(MEASURE)
    assert sizes["page"] <= sizes["viewport"], sizes
    assert sizes["boxScroll"] >= sizes["box"], sizes
    assert_accessible(page)
