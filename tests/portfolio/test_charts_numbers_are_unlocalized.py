"""The dashboard's SVG charts in Czech: a decimal comma (width="133,3") is no SVG number and
the browser draws no bar, so no attribute inside an <svg> may hold one."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from tests.portfolio.conftest import block

pytestmark = pytest.mark.django_db


class _SvgAttributes(HTMLParser):
    """Every (tag, attribute, value) inside an <svg>, nested ones included."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.svgs = 0
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "svg":
            self.depth += 1
            self.svgs += 1
        if self.depth:
            self.attributes += [(tag, name, value or "") for name, value in attrs]

    def handle_endtag(self, tag):
        if tag == "svg" and self.depth:
            self.depth -= 1


def svg_attributes(html: str) -> tuple[int, list[tuple[str, str, str]]]:
    parser = _SvgAttributes()
    parser.feed(html)
    return parser.svgs, parser.attributes


def in_czech(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cs"
    return client


def test_the_dashboard_charts_write_numbers_unlocalized_in_czech(
    client, sam, contoso, make_customer
):
    blocked = [make_customer(contoso) for _ in range(2)]
    for customer in blocked:
        block(customer, sam)
    make_customer(contoso)
    make_customer(contoso)
    make_customer(contoso)  # 3 not on record, 2 blocked: a bar 133.3 wide
    client.force_login(sam)
    html = in_czech(client).get(reverse("dashboard")).text
    assert "Přehled dodržování smlouvy" in html
    svgs, attributes = svg_attributes(html)
    assert svgs >= 2
    assert any(
        tag == "rect" and name == "width" and "." in value for tag, name, value in attributes
    )
    assert [item for item in attributes if "," in item[2]] == []
