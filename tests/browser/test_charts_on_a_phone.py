"""The dashboard's and the campaign page's charts at 1280 and 390 px, in English and Czech:
every bar and label of each chart shown inside the window, the text still legible, no page
that scrolls sideways, axe-clean (and each landmark named once)."""

import pytest

from tests import factories as f
from tests.browser.support import assert_accessible, sign_in, switch_language
from tests.browser.test_portfolio_dashboard import busy_contoso  # noqa: F401 (a fixture)
from tests.campaigns.conftest import campaign_world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)

# Each visible chart's bars and texts: where they end, how tall the text is drawn.
CHART_PARTS = """() => [...document.querySelectorAll('svg[role=img]')]
  .filter((svg) => svg.getBoundingClientRect().width > 0)
  .map((svg) => ({
    chart: svg.getAttribute('aria-labelledby'),
    parts: [...svg.querySelectorAll('rect, text')].map((part) => {
      const box = part.getBoundingClientRect();
      return {tag: part.tagName, text: part.textContent, left: box.left, right: box.right,
              height: box.height, width: box.width};
    }),
  }))"""


def assert_charts_fit(page, expected: int) -> None:
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    charts = page.evaluate(CHART_PARTS)
    assert len(charts) == expected, [chart["chart"] for chart in charts]
    for chart in charts:
        assert chart["parts"], chart["chart"]
        for part in chart["parts"]:
            assert 0 <= part["left"] and part["right"] <= width, (chart["chart"], part)
            if part["tag"] == "text":
                assert part["height"] >= 12, (chart["chart"], part)  # 13 px text, legible


def assert_landmarks_unique(page) -> None:
    """axe's best-practice rule (outside the WCAG tags assert_accessible runs): no two
    landmarks of a role share a name."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "rule", "values": ["landmark-unique", "region"]}},
    )
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_dashboard_charts_show_all_their_data(
    live_server,
    page,
    sam,
    busy_contoso,  # noqa: F811
    width,
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    for language in ("en", "cs"):
        if language == "cs":
            switch_language(page, "cs")
        page.goto(f"{live_server.url}/dashboard/")
        assert_charts_fit(page, 2)
        weekly = page.locator("svg[role=img][aria-labelledby^=weeks]:visible rect")
        assert weekly.count() == 26
        assert_accessible(page)
        assert_landmarks_unique(page)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_progress_chart_shows_all_its_data(
    live_server,
    page,
    sam,
    campaign_world,  # noqa: F811
    width,
):
    version, _customers = campaign_world
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    for language in ("en", "cs"):
        if language == "cs":
            switch_language(page, "cs")
        page.goto(f"{live_server.url}/campaigns/{version.template_id}/")
        assert_charts_fit(page, 1)
        assert_accessible(page)
        assert_landmarks_unique(page)


@pytest.mark.parametrize("width", [1280, 390])
def test_an_empty_campaign_reads_as_empty_and_is_accessible(
    live_server,
    page,
    nora,
    campaign_world,  # noqa: F811
    width,
):
    version, _customers = campaign_world  # none of Northwind's customers is in it
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, nora.email, f.PASSWORD)
    for language, empty in (
        ("en", "None of your customers must accept this version again."),
        ("cs", "Žádný z vašich zákazníků nemusí tuto verzi přijmout znovu."),
    ):
        if language == "cs":
            switch_language(page, "cs")
        page.goto(f"{live_server.url}/campaigns/{version.template_id}/")
        assert empty in page.locator("[data-campaign-empty]").inner_text()
        assert page.locator("svg[role=img]").count() == 0
        assert page.locator("main a[href^='?state=']").count() == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_accessible(page)
        assert_landmarks_unique(page)
