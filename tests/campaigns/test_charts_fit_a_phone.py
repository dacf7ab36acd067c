"""The campaign page's progress chart at 390 px: a phone layout whose bars and labels all lie
inside its viewBox, no box that scrolls sideways (nor a second landmark named "Progress")."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.portfolio.test_charts_fit_a_phone import assert_fits, charts
from tests.portfolio.test_charts_numbers_are_unlocalized import in_czech

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("czech", [False, True])
def test_the_progress_chart_has_a_phone_layout_that_fits(client, sam, campaign_world, czech):
    version, _customers = campaign_world
    client.force_login(sam)
    html = (
        (in_czech(client) if czech else client)
        .get(reverse("campaigns:detail", args=[version.template_id]))
        .text
    )
    wide, narrow = charts(html)
    assert wide["labelledby"] == "progress-title progress-desc"
    assert narrow["labelledby"] == "progress-narrow-title progress-narrow-desc"
    assert "d-md-none" in narrow["class"] and "d-none d-md-block" in wide["class"]
    assert len(narrow["rects"]) == len(wide["rects"]) >= 8
    assert_fits(narrow, most_units=340)
    assert wide["view_box"][2] == 570  # the desktop layout as it was
    # No scrolling box, so no second landmark named after the "Progress" heading.
    section = html[html.index('aria-labelledby="progress-heading"') :]
    section = section[: section.index("</section>")]
    assert 'role="region"' not in section and "overflow-x-auto" not in section
    assert re.findall(r'aria-labelledby="progress-heading"', html) == [
        'aria-labelledby="progress-heading"'
    ]
