"""The customers list's Export CSV: a tester read its grey outline as disabled. It has the
outline of the list's other actions (Request a reseller relationship), in the portal's primary
blue, with text at least 4.5:1 against the page; English and Czech, axe-clean."""

from __future__ import annotations

import re

import pytest

from tests import factories as f
from tests.browser.support import assert_accessible, sign_in, switch_language

pytestmark = pytest.mark.django_db(transaction=True)

STYLE = """(element) => { const s = getComputedStyle(element);
  return {color: s.color, border: s.borderTopColor, background: s.backgroundColor,
          opacity: s.opacity, cursor: s.cursor}; }"""


def rgb(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def contrast(one: tuple[int, ...], other: tuple[int, ...]) -> float:
    def luminance(colour):
        channels = [c / 255 for c in colour]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_export_looks_like_the_other_actions(live_server, page, sam):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    for language, export, other in (
        ("en", "Export CSV", "Request a reseller relationship"),
        ("cs", "Exportovat CSV", "Požádat o vztah prodejce"),
    ):
        if language == "cs":
            switch_language(page, "cs")
        page.goto(f"{live_server.url}/customers/")
        button = page.get_by_role("link", name=export)
        style = button.evaluate(STYLE)
        action = page.get_by_role("link", name=other, exact=True).evaluate(STYLE)
        assert (style["color"], style["border"]) == (action["color"], action["border"]), style
        assert rgb(style["color"]) == (10, 88, 202), style  # the portal's primary (portal.css)
        assert style["opacity"] == "1" and style["cursor"] != "not-allowed", style
        assert contrast(rgb(style["color"]), (255, 255, 255)) >= 4.5
        assert_accessible(page)
