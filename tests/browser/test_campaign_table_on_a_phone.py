"""The campaign's table on a phone: a tester found its "Attest acceptance" buttons touching the
screen's edge at 390 px (in English cut off at the edge of the table's box). On a phone each
stands under its customer's name, clear of the edge, and the table fits without scrolling
sideways; from 576 px up it has its own column again. English and Czech, axe-clean."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.browser.support import assert_accessible, sign_in, switch_language
from tests.campaigns.conftest import campaign_world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)

MEASURE = """() => {
  const table = document.querySelector('[data-campaign-table]');
  const box = table.closest('.table-responsive');
  const buttons = [...table.querySelectorAll('a.btn')].filter(b => b.offsetParent !== null)
    .map(b => { const r = b.getBoundingClientRect();
                return {left: r.left, right: r.right, column: b.closest('td').cellIndex}; });
  return {buttons, table: table.scrollWidth, box: box.clientWidth,
          page: document.documentElement.scrollWidth, viewport: window.innerWidth};
}"""
# Bootstrap's container keeps 12 px (0.75rem) either side; a button keeps at least this much.
EDGE = 12


@pytest.mark.parametrize("width", [390, 1280])
def test_the_attest_buttons_stay_clear_of_the_edge(
    live_server,
    page,
    sam,
    campaign_world,  # noqa: F811
    width,
):
    version, _customers = campaign_world
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    for language, label in (("en", "Attest acceptance"), ("cs", "Potvrdit přijetí")):
        if language == "cs":
            switch_language(page, "cs")
        page.goto(f"{live_server.url}/campaigns/{version.template_id}/")
        sizes = page.evaluate(MEASURE)
        # Due, Invited and Blocked are still to renew; Done is not.
        assert len(sizes["buttons"]) == 3, sizes
        assert sizes["table"] <= sizes["box"], sizes
        assert sizes["page"] <= sizes["viewport"], sizes
        for button in sizes["buttons"]:
            assert button["left"] >= EDGE and button["right"] <= width - EDGE, sizes
            # On a phone under the name (the first column), else in a column of its own.
            assert button["column"] == (0 if width < 576 else 3), sizes
        link = page.get_by_role("link", name=f"{label} — Due s.r.o.")
        assert link.count() == 1 and link.is_visible()
        assert_accessible(page)
