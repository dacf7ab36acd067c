"""The charts at 390 px: each has a phone layout (shown below Bootstrap's md breakpoint) whose
bars and value labels all lie inside its viewBox, with no box that scrolls sideways; the
desktop layout stays as it was."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.portfolio.conftest import block
from tests.portfolio.test_charts_numbers_are_unlocalized import in_czech

pytestmark = pytest.mark.django_db


class _Charts(HTMLParser):
    """Every <svg data-chart=...>: its layout, viewBox, and the rects and texts inside it."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: list[dict] = []
        self.current: dict | None = None
        self.text: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "svg" and "data-chart" in attributes:
            self.current = {
                "layout": attributes["data-chart"],
                "labelledby": attributes["aria-labelledby"],
                "class": attributes["class"],
                "view_box": [float(n) for n in attributes["viewbox"].split()],
                "rects": [],
                "texts": [],
            }
            self.charts.append(self.current)
        elif self.current is not None and tag == "rect":
            self.current["rects"].append({k: float(v) for k, v in attrs if k in "xywidth height"})
        elif self.current is not None and tag == "text" and "x" in attributes:
            self.text = {"x": float(attributes["x"]), "anchor": attributes.get("text-anchor")}
            self.text["content"] = ""
            self.current["texts"].append(self.text)

    def handle_data(self, data):
        if self.text is not None:
            self.text["content"] += data

    def handle_endtag(self, tag):
        if tag == "text":
            self.text = None
        if tag == "svg":
            self.current = None


def charts(html: str) -> list[dict]:
    parser = _Charts()
    parser.feed(html)
    return parser.charts


def assert_fits(chart: dict, *, most_units: float) -> None:
    """Bars and start-anchored text (a value of ~4 digits: 30 units) end inside the viewBox,
    which is narrow enough for 13-unit text to stay about 13 px on a 358 px column."""
    min_x, _min_y, width, _height = chart["view_box"]
    assert width <= most_units, chart["view_box"]
    for rect in chart["rects"]:
        assert min_x <= rect["x"] and rect["x"] + rect["width"] <= min_x + width, rect
    for text in chart["texts"]:
        if text["anchor"] == "end":
            assert min_x <= text["x"] <= min_x + width, text
        else:
            assert text["x"] + 7 * len(text["content"].strip()) <= min_x + width, text


@pytest.mark.parametrize("czech", [False, True])
def test_the_dashboard_charts_have_a_phone_layout_that_fits(
    client, sam, contoso, make_customer, czech
):
    for _ in range(2):
        block(make_customer(contoso), sam)
    make_customer(contoso)
    client.force_login(sam)
    html = (in_czech(client) if czech else client).get(reverse("dashboard")).text
    found = charts(html)
    assert [chart["layout"] for chart in found] == ["wide", "narrow", "wide", "narrow"]
    for chart in found:
        shown = (
            "d-md-none" in chart["class"]
            if chart["layout"] == "narrow"
            else ("d-none d-md-block" in chart["class"])
        )
        assert shown, chart["class"]
    status, weeks = found[1], found[3]
    assert status["labelledby"] == "status-own-narrow-title status-own-narrow-desc"
    assert weeks["labelledby"] == "weeks-narrow-title weeks-narrow-desc"
    assert len(status["rects"]) == 6 and max(r["width"] for r in status["rects"]) > 200
    assert_fits(status, most_units=340)
    assert len(weeks["rects"]) == 26  # every week, the latest at the right
    assert_fits(weeks, most_units=340)
    overview = html[html.index("data-portfolio-overview") :]
    assert "overflow-x-auto" not in overview and "min-width" not in overview
    assert 'role="region"' not in overview


def test_the_weekly_chart_has_no_axis_from_zero_to_zero(client, sam, contoso, make_customer):
    make_customer(contoso)
    client.force_login(sam)
    weekly = charts(client.get(reverse("dashboard")).text)[2:]
    assert len(weekly) == 2  # none recorded: the axis says 0 once, no peak of 0 above it
    for chart in weekly:
        labels = [text["content"] for text in chart["texts"] if text["anchor"] == "end"]
        assert labels.count("0") == 1, labels
