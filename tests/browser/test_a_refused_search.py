"""A refused search in a real browser (tests/portal/test_a_refused_filter_lists_nothing.py has
the rest): the customers list and New order's customer choice show what to correct, linked to
the field, keep what was typed and list no rows; axe-clean at 1280 and 390 px, in English and
Czech."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.browser.support import assert_accessible, sign_in, switch_language

pytestmark = pytest.mark.django_db(transaction=True)

TOO_LONG = "acme" + "x" * 200


@pytest.mark.parametrize("width", [1280, 390])
def test_a_refused_search_shows_what_to_correct_and_no_rows(live_server, page, sam, acme, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    for path in ("/customers/", "/orders/new/"):
        for language in ("en", "cs"):
            if language == "cs":
                switch_language(page, "cs")
            response = page.goto(f"{live_server.url}{path}?q={TOO_LONG}")
            assert response.status == 400
            summary = page.locator("[data-filter-errors]")
            assert summary.is_visible()
            link = summary.get_by_role("link")
            assert link.get_attribute("href") == "#id_q"
            assert page.locator("#id_q").input_value() == TOO_LONG
            assert page.locator("#id_q").get_attribute("aria-invalid") == "true"
            assert page.locator("[data-list-refused]").is_visible()
            assert page.get_by_text("Acme s.r.o.").count() == 0
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            assert_accessible(page)
        switch_language(page, "en")
