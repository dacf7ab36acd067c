"""A campaign none of the partner's customers is in (a reseller without customers): the page
says so in English and Czech, with no chart whose axis runs from 0 to 0, no count that links
to an empty list, and no "none matches" as if a filter had been chosen. In a campaign with
customers, a state nobody is in is a plain 0 too."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.portfolio.test_charts_numbers_are_unlocalized import in_czech

pytestmark = pytest.mark.django_db

EMPTY = "None of your customers must accept this version again."


def test_an_empty_campaign_says_no_one_must_accept_again(client, nora, campaign_world):
    version, _customers = campaign_world
    client.force_login(nora)
    html = client.get(reverse("campaigns:detail", args=[version.template_id])).text
    assert f"{EMPTY} 30 days left in the campaign." in html
    assert "<svg" not in html  # no chart of nobody
    assert 'id="progress-heading"' not in html
    assert "?state=" not in html  # no count links to an empty list
    assert "No customer of the campaign matches." not in html
    assert 'id="customers-heading"' not in html  # no filter of nobody


def test_an_empty_campaign_says_so_in_czech(client, nora, campaign_world):
    version, _customers = campaign_world
    client.force_login(nora)
    html = in_czech(client).get(reverse("campaigns:detail", args=[version.template_id])).text
    assert (
        "Žádný z vašich zákazníků nemusí tuto verzi přijmout znovu. Do konce kampaně zbývá 30 dní."
    ) in html
    assert "<svg" not in html and "?state=" not in html


def test_a_filter_that_matches_no_one_still_says_none_matches(client, sam, campaign_world):
    version, _customers = campaign_world
    client.force_login(sam)
    html = client.get(
        reverse("campaigns:detail", args=[version.template_id]), {"q": "nobody at all"}
    ).text
    assert "No customer of the campaign matches." in html
    assert EMPTY not in html


def test_a_state_nobody_is_in_is_a_plain_zero(client, lisa, campaign_world):
    version, _customers = campaign_world  # Litware's one customer is due
    client.force_login(lisa)
    html = client.get(reverse("campaigns:detail", args=[version.template_id])).text
    assert 'data-count="due"><a href="?state=due">1</a></dd>' in html
    for state in ("invited", "blocked", "done"):
        assert f'<dd class="fs-4 mb-0" data-count="{state}">0</dd>' in html
        assert f'href="?state={state}"' not in html
