"""renew_subscriptions: due auto-renewals are placed once, bypassing the gate."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from orders.models import Order, OrderChannel
from orders.services import order_gate
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _subscription(customer, partner, *offers, due=TODAY, auto_renew=True):
    order = f.OrderFactory(
        customer=customer, partner=partner, auto_renew=auto_renew, renewal_due=due
    )
    for offer in offers:
        f.OrderLineFactory(order=order, offer=offer, quantity=4, unit_price="30.00")
    return order


def _renew(*args: str) -> str:
    out = StringIO()
    call_command("renew_subscriptions", *args, stdout=out)
    return out.getvalue()


def test_due_subscription_is_renewed_without_acceptance_on_record(acme, contoso, licence):
    original = _subscription(acme, contoso, licence)
    assert not order_gate(acme, contoso).allowed
    assert "Placed 1" in _renew()
    renewal = Order.objects.get(renews=original)
    assert renewal.is_auto_renewal
    assert renewal.channel == OrderChannel.RENEWAL
    assert renewal.partner == contoso
    assert renewal.placed_by is None
    assert not renewal.auto_renew
    line = renewal.lines.get()
    assert (line.offer, line.quantity, line.unit_price) == (licence, 4, Decimal("36.00"))
    original.refresh_from_db()
    assert original.renewal_due == TODAY + datetime.timedelta(days=365)


def test_running_twice_renews_once(acme, contoso, licence):
    _subscription(acme, contoso, licence)
    _renew()
    assert "Placed 0" in _renew()
    assert Order.objects.filter(is_auto_renewal=True).count() == 1


def test_missed_periods_are_caught_up_in_one_run(acme, contoso, licence):
    original = _subscription(acme, contoso, licence, due=TODAY - datetime.timedelta(days=400))
    _renew()
    assert original.renewals.count() == 2
    original.refresh_from_db()
    assert original.renewal_due > TODAY


def test_not_yet_due_and_opted_out_orders_are_left_alone(acme, contoso, licence):
    _subscription(acme, contoso, licence, due=TODAY + datetime.timedelta(days=1))
    _subscription(acme, contoso, licence, auto_renew=False)
    assert "Placed 0" in _renew()


def test_only_renewable_lines_renew(acme, contoso, licence, perpetual):
    original = _subscription(acme, contoso, licence, perpetual)
    _renew()
    assert [line.offer for line in original.renewals.get().lines.all()] == [licence]


def test_a_date_can_be_given(acme, contoso, licence):
    _subscription(acme, contoso, licence, due=TODAY + datetime.timedelta(days=10))
    assert "Placed 1" in _renew("--date", (TODAY + datetime.timedelta(days=10)).isoformat())
