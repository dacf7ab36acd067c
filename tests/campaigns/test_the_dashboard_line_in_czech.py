"""The dashboard's campaign line counts customers with Czech plural forms (1 zákazník,
3 zákazníci, 5 zákazníků), each number agreeing with its own noun and verb."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from tests.portfolio.test_charts_numbers_are_unlocalized import in_czech

pytestmark = pytest.mark.django_db


def test_the_czech_dashboard_names_the_customers_in_agreement(client, sam, campaign_world):
    client.force_login(sam)
    html = in_czech(client).get(reverse("dashboard")).text
    assert (
        "3 zákazníci ještě musí obnovit přijetí, 1 zákazník přijal znovu, "
        "do konce kampaně zbývá 30 dní"
    ) in html
    assert "zbývá obnovit" not in html


@pytest.mark.parametrize(
    ("number", "renew", "done", "days"),
    [
        (1, "1 zákazník ještě musí", "1 zákazník přijal znovu", "zbývá 1 den"),
        (3, "3 zákazníci ještě musí", "3 zákazníci přijali znovu", "zbývají 3 dny"),
        (5, "5 zákazníků ještě musí", "5 zákazníků přijalo znovu", "zbývá 5 dní"),
    ],
)
def test_each_czech_plural_form(number, renew, done, days):
    with translation.override("cs"):
        assert (
            ngettext(
                "%(number)s customer still to renew", "%(number)s customers still to renew", number
            )
            % {"number": number}
            == f"{renew} obnovit přijetí"
        )
        assert (
            ngettext(
                "%(number)s customer accepted again", "%(number)s customers accepted again", number
            )
            % {"number": number}
            == done
        )
        assert (
            ngettext(
                "%(days)s day left in the campaign", "%(days)s days left in the campaign", number
            )
            % {"days": number}
            == f"do konce kampaně {days}"
        )
