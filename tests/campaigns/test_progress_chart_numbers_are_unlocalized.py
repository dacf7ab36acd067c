"""The campaign page's progress chart in Czech: a decimal comma (height="30,0") is no SVG
number and the browser draws no bar, so no attribute inside its <svg> may hold one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.portfolio.test_charts_numbers_are_unlocalized import in_czech, svg_attributes

pytestmark = pytest.mark.django_db


def test_the_progress_chart_writes_numbers_unlocalized_in_czech(client, sam, campaign_world):
    version, _customers = campaign_world
    client.force_login(sam)
    html = in_czech(client).get(reverse("campaigns:detail", args=[version.template_id])).text
    assert "Zákazníci, kteří znovu přijali, po týdnech" in html
    svgs, attributes = svg_attributes(html)
    assert svgs >= 1
    assert any(tag == "rect" for tag, _name, _value in attributes)
    assert [item for item in attributes if "," in item[2]] == []
