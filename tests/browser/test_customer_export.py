"""The customers list's "Export CSV" in a real browser: the download carries the list's search,
in English and Czech, and the page stays axe-clean."""

import csv
import io

import pytest

from tests import factories as f
from tests.browser.support import assert_accessible, sign_in, switch_language
from tests.customers.listing import customer_of

pytestmark = pytest.mark.django_db(transaction=True)


def download(page, name: str) -> list[list[str]]:
    with page.expect_download() as info:
        page.get_by_role("link", name=name).click()
    text = open(info.value.path(), encoding="utf-8-sig").read()
    return list(csv.reader(io.StringIO(text)))


def test_an_agent_exports_the_customers_it_searched_for(live_server, page, hana):
    customer_of(hana.partner, "Kovárna Horák s.r.o.")
    customer_of(hana.partner, "Blue Yonder Airlines")
    sign_in(page, live_server.url, hana.email, f.PASSWORD)
    page.goto(f"{live_server.url}/customers/?q=horak")
    assert_accessible(page)
    rows = download(page, "Export CSV")
    assert rows[0][:3] == ["Tenant ID", "Domain", "Company name"]
    assert [row[2] for row in rows[1:]] == ["Kovárna Horák s.r.o."]

    switch_language(page, "cs")
    assert_accessible(page)
    rows = download(page, "Exportovat CSV")
    assert rows[0][0] == "ID tenanta"
    assert [row[2] for row in rows[1:]] == ["Kovárna Horák s.r.o."]
