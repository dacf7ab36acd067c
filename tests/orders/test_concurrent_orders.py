"""The race: agents ordering and attesting at once never get an order past the gate."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from agreements.models import Acceptance, EvidenceChainHead
from agreements.services import Contact
from orders import services as orders
from orders.models import Order, OrderChannel
from orders.services import OrderBlocked, place_order
from tests import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="row locks need PostgreSQL; SQLite serialises every writer anyway",
    ),
]

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _chain_head(db):
    """Transactional tests flush the table its data migration filled."""
    EvidenceChainHead.objects.get_or_create(pk=1)


def _run_together(*jobs):
    """Start every job at the same moment; return what each returned or raised."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread met
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _order(customer, partner, agent, offer, attestation=None):
    return lambda: place_order(
        customer=customer,
        partner=partner,
        placed_by=agent,
        lines=[(offer, 1)],
        attestation=attestation,
        channel=OrderChannel.WEB,
    )


def test_two_agents_attesting_and_ordering_at_once_both_succeed_on_one_record(
    acme, contoso, alice, sam, licence
):
    jana = (Contact("Jana", "Nováková", "jana@acme.example"), YESTERDAY)
    results = _run_together(
        _order(acme, contoso, alice, licence, jana), _order(acme, contoso, sam, licence, jana)
    )
    assert all(isinstance(result, Order) for result in results), results
    assert Acceptance.objects.filter(customer=acme).count() == 1
    assert Order.objects.filter(customer=acme).count() == 2


def test_an_order_waits_for_a_colleagues_attestation_in_flight_and_then_goes_through(
    acme, contoso, alice, sam, licence, monkeypatch
):
    original = orders.record_acceptance

    def slow_record(**kwargs):
        acceptance = original(**kwargs)
        # Hold the relationship lock with the attestation written but not committed.
        time.sleep(1.0)
        return acceptance

    monkeypatch.setattr(orders, "record_acceptance", slow_record)
    jana = (Contact("Jana", "Nováková", "jana@acme.example"), YESTERDAY)

    def late_plain_order():
        time.sleep(0.3)
        return _order(acme, contoso, sam, licence)()

    results = _run_together(_order(acme, contoso, alice, licence, jana), late_plain_order)
    assert all(isinstance(result, Order) for result in results), results
    first_acceptance = Acceptance.objects.get(customer=acme)
    assert all(order.placed_at >= first_acceptance.recorded_at for order in results)


def test_orders_without_acceptance_racing_each_other_are_all_refused(
    acme, contoso, alice, sam, licence
):
    results = _run_together(
        _order(acme, contoso, alice, licence), _order(acme, contoso, sam, licence)
    )
    assert all(isinstance(result, OrderBlocked) for result in results), results
    assert not Order.objects.exists()
    f.attest(acme, sam)
    assert _order(acme, contoso, alice, licence)().pk


def test_two_renewal_runs_at_once_renew_a_subscription_once(acme, contoso, sam, licence):
    original = f.OrderFactory(
        customer=acme, partner=contoso, placed_by=sam, renewal_due=timezone.localdate()
    )
    f.OrderLineFactory(order=original, offer=licence)
    today = timezone.localdate()
    results = _run_together(
        lambda: orders.renew_due_order(original.pk, today),
        lambda: orders.renew_due_order(original.pk, today),
    )
    assert sorted(len(result) for result in results) == [0, 1], results
    assert original.renewals.count() == 1
