"""The customers list in a real browser: an agent searches without diacritics, sorts by a
column header (which says how the list is sorted), keeps the search while sorting, and it all
reads the same in Czech, axe-clean."""

import pytest

from tests import factories as f
from tests.browser.support import assert_accessible, sign_in, switch_language
from tests.customers.listing import customer_of

pytestmark = pytest.mark.django_db(transaction=True)


def rows(page) -> list[str]:
    table = page.get_by_role("table")
    return [
        cell.inner_text().splitlines()[0] for cell in table.locator("tbody tr td:first-child").all()
    ]


def test_an_agent_searches_and_sorts_the_customers_in_english_and_czech(live_server, page, hana):
    customer_of(hana.partner, "Kovárna Horák s.r.o.", contact_last_name="Procházka")
    customer_of(hana.partner, "Pekárna Dvořák a.s.", contact_last_name="Horáková")
    customer_of(hana.partner, "Blue Yonder Airlines", contact_last_name="Smith")
    sign_in(page, live_server.url, hana.email, f.PASSWORD)
    page.goto(f"{live_server.url}/customers/")
    assert rows(page) == ["Blue Yonder Airlines", "Kovárna Horák s.r.o.", "Pekárna Dvořák a.s."]
    assert page.get_by_text("Showing 1–3 of 3 customers").is_visible()
    name_header = page.get_by_role("columnheader", name="Company name")
    assert name_header.get_attribute("aria-sort") == "ascending"
    assert_accessible(page)

    search = page.get_by_role("search", name="Search customers")
    search.get_by_label("Search").fill("horak")
    search.get_by_label("Search").press("Enter")
    page.wait_for_url("**q=horak**")
    assert rows(page) == ["Kovárna Horák s.r.o.", "Pekárna Dvořák a.s."]
    assert page.get_by_text("Showing 1–2 of 2 customers").is_visible()
    assert_accessible(page)

    page.get_by_role("columnheader", name="Company name").get_by_role("link").click()
    page.wait_for_url("**sort=-name**")
    assert "q=horak" in page.url
    assert rows(page) == ["Pekárna Dvořák a.s.", "Kovárna Horák s.r.o."]
    assert page.get_by_role("columnheader", name="Company name").get_attribute("aria-sort") == (
        "descending"
    )
    assert_accessible(page)

    switch_language(page, "cs")
    assert page.get_by_role("heading", level=1).inner_text() == "Zákazníci"
    assert rows(page) == ["Pekárna Dvořák a.s.", "Kovárna Horák s.r.o."]
    assert page.get_by_text("Zobrazeno 1–2 z 2 zákazníků").is_visible()
    page.get_by_role("columnheader", name="Vytvořeno").get_by_role("link").click()
    page.wait_for_url("**sort=created**")
    assert page.get_by_role("columnheader", name="Vytvořeno").get_attribute("aria-sort") == (
        "ascending"
    )
    assert (
        page.get_by_role("columnheader", name="Název společnosti").get_attribute("aria-sort")
        is None
    )
    assert rows(page) == ["Kovárna Horák s.r.o.", "Pekárna Dvořák a.s."]
    assert_accessible(page)

    search = page.get_by_role("search")
    search.get_by_label("Hledat").fill("PROCHÁZKA")
    search.get_by_role("button", name="Hledat").click()
    page.wait_for_url("**q=PROCH**")
    assert "sort=created" in page.url, "the search form keeps the sort"
    assert rows(page) == ["Kovárna Horák s.r.o."]
    assert_accessible(page)
