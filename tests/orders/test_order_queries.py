"""Query budgets of the order pages: fixed, whatever the number of orders, lines or offers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def _orders(customer, partner, agent, count, lines=2):
    for _ in range(count):
        order = f.OrderFactory(customer=customer, partner=partner, placed_by=agent)
        for _ in range(lines):
            f.OrderLineFactory(order=order, offer=f.OfferFactory())


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def signed_in(client, sam):
    client.force_login(sam)
    return client


def test_orders_page_stays_within_budget_as_orders_grow(signed_in, sam, acme, contoso):
    url = reverse("orders:list")
    _orders(acme, contoso, sam, 2)
    few = _queries(signed_in, url)
    _orders(acme, contoso, sam, 20, lines=3)
    assert _queries(signed_in, url) == few
    assert few <= 6


def test_customer_orders_page_stays_within_budget(signed_in, sam, acme, contoso):
    url = reverse("orders:customer_orders", args=[acme.tenant_id])
    _orders(acme, contoso, sam, 1)
    few = _queries(signed_in, url)
    _orders(acme, contoso, sam, 15)
    assert _queries(signed_in, url) == few
    assert few <= 7


def test_offers_page_stays_within_budget(signed_in):
    f.OfferFactory.create_batch(2)
    few = _queries(signed_in, reverse("orders:offers"))
    f.OfferFactory.create_batch(30)
    assert _queries(signed_in, reverse("orders:offers")) == few
    assert few <= 4


def test_order_detail_stays_within_budget(signed_in, sam, acme, contoso):
    order = f.OrderFactory(customer=acme, partner=contoso, placed_by=sam)
    f.OrderLineFactory(order=order)
    few = _queries(signed_in, reverse("orders:detail", args=[order.order_id]))
    for _ in range(10):
        f.OrderLineFactory(order=order, offer=f.OfferFactory())
    assert _queries(signed_in, reverse("orders:detail", args=[order.order_id])) == few
    assert few <= 6


def test_new_order_and_review_stay_within_budget(signed_in, acme):
    offers = f.OfferFactory.create_batch(2)
    url = reverse("orders:new", args=[acme.tenant_id])
    few = _queries(signed_in, url)
    offers += f.OfferFactory.create_batch(20)
    assert _queries(signed_in, url) == few
    assert few <= 6
    review = signed_in.post(url, {f"quantity_{offer.pk}": 1 for offer in offers}).url
    # One more than the new-order page: the attestation prompt names the version it records.
    assert _queries(signed_in, review) <= 7


def test_orders_panel_on_account_info_does_not_grow_with_orders(signed_in, sam, acme, contoso):
    url = reverse("customers:detail", args=[acme.tenant_id])
    _orders(acme, contoso, sam, 1)
    few = _queries(signed_in, url)
    _orders(acme, contoso, sam, 12)
    assert _queries(signed_in, url) == few
