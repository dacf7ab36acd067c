"""The order page speaks of auto-renewal in the glossary's words (Auto-renewal, Automatické
prodloužení; the source's "automatického prodlužování"): its Auto-renewal row, the row's value
and who placed a renewal. A tester found the Czech row saying the subscriptions "se obnoví"
under the label "Automatické prodloužení", and a renewal "placed by" an "Automatic renewal"."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

DUE = datetime.date(2027, 3, 1)


def rows(html: str) -> dict[str, str]:
    """The order's summary as label -> value, its markup dropped."""
    summary = html.split("<dl", 1)[1].split("</dl>", 1)[0]
    pairs = re.findall(r"<dt[^>]*>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", summary, re.DOTALL)
    return {
        re.sub(r"<[^>]+>|\s+", " ", label).strip(): re.sub(r"<[^>]+>|\s+", " ", value).strip()
        for label, value in pairs
    }


@pytest.fixture
def renewal(acme, contoso):
    """An auto-renewal of an earlier order, its subscription renewing again on DUE."""
    original = f.OrderFactory(customer=acme, partner=contoso)
    f.OrderLineFactory(order=original)
    order = f.OrderFactory(
        customer=acme,
        partner=contoso,
        is_auto_renewal=True,
        renews=original,
        auto_renew=True,
        renewal_due=DUE,
    )
    f.OrderLineFactory(order=order)
    return order


def page(client, order, language):
    client.cookies["django_language"] = language
    return client.get(
        reverse("orders:detail", args=[order.order_id]), HTTP_ACCEPT_LANGUAGE=language
    ).text


def test_the_auto_renewal_row_in_english(client, sam, renewal):
    client.force_login(sam)
    summary = rows(page(client, renewal, "en"))
    assert summary["Auto-renewal"] == "Its subscriptions renew automatically on March 1, 2027."
    assert summary["Placed by"] == "Auto-renewal"


def test_the_auto_renewal_row_in_czech(client, sam, renewal):
    client.force_login(sam)
    html = page(client, renewal, "cs")
    summary = rows(html)
    assert summary["Automatické prodloužení"] == (
        "Její předplatná se automaticky prodlouží 1. března 2027."
    )
    assert summary["Zadal(a)"] == "Automatické prodloužení"
    assert "obnoví" not in html


def test_an_order_that_doesnt_renew_says_so_under_the_same_label(client, sam, acme, contoso):
    order = f.OrderFactory(customer=acme, partner=contoso, placed_by=sam, auto_renew=False)
    f.OrderLineFactory(order=order)
    client.force_login(sam)
    assert rows(page(client, order, "en"))["Auto-renewal"] == "Doesn't renew"
    assert rows(page(client, order, "cs"))["Automatické prodloužení"] == "Neprodlužuje se"
