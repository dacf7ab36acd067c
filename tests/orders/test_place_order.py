"""place_order: behind the gate, the prompted attestation first, all or nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils import timezone

from agreements.models import Acceptance, AcceptanceMethod, Channel
from agreements.services import AttestationNotAllowed, Contact
from customers.models import AgreementStatus
from orders.models import Order, OrderChannel, OrderLine
from orders.services import OrderBlocked, place_order
from portal.api_urls import DOMAIN_ERRORS
from tests import factories as f

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)
JANA = Contact("Jana", "Nováková", "jana@acme.example", "")


def _place(customer, partner, agent, lines, **kwargs):
    return place_order(
        customer=customer,
        partner=partner,
        placed_by=agent,
        lines=lines,
        channel=kwargs.pop("channel", OrderChannel.WEB),
        ip_address="203.0.113.7",
        user_agent="pytest",
        **kwargs,
    )


def test_order_is_placed_when_acceptance_is_on_record(acme, contoso, sam, licence):
    f.attest(acme, sam)
    order = _place(acme, contoso, sam, [(licence, 3)])
    assert order.partner == contoso
    assert order.placed_by == sam
    assert not order.is_auto_renewal
    line = order.lines.get()
    assert (line.quantity, line.unit_price, line.currency) == (3, Decimal("36.00"), "USD")
    assert order.auto_renew
    assert order.renewal_due == timezone.localdate() + datetime.timedelta(days=365)


def test_order_waits_for_acceptance(acme, contoso, sam, licence):
    with pytest.raises(OrderBlocked) as blocked:
        _place(acme, contoso, sam, [(licence, 1)])
    assert blocked.value.code == "order_blocked"
    # On the wire it is Partner Center's 13605, mapped once in the /v1 error table.
    assert DOMAIN_ERRORS[OrderBlocked][:2] == (403, 13605)
    assert blocked.value.decision.needs_acceptance
    assert not Order.objects.exists()


def test_prompted_attestation_is_recorded_then_the_order_placed(acme, contoso, sam, licence):
    order = _place(acme, contoso, sam, [(licence, 2)], attestation=(JANA, YESTERDAY))
    acceptance = Acceptance.objects.get(customer=acme)
    assert acceptance.method == AcceptanceMethod.PARTNER_ATTESTATION
    assert acceptance.channel == Channel.ORDER_PROMPT
    assert acceptance.partner == contoso
    assert acceptance.ip_address == "203.0.113.7"
    assert order.lines.get().quantity == 2
    assert acme.relationships.get().agreement_status == AgreementStatus.ATTESTED


def test_provider_orders_for_its_resellers_customer_in_the_resellers_name(
    initech, northwind, fabrikam, frank, licence
):
    order = _place(initech, northwind, frank, [(licence, 1)], attestation=(JANA, YESTERDAY))
    assert order.partner == northwind
    assert order.placed_by == frank
    assert Acceptance.objects.get(customer=initech).partner == fabrikam


def test_reseller_agent_cannot_attest_through_an_order(initech, northwind, nora, licence):
    with pytest.raises(AttestationNotAllowed):
        _place(initech, northwind, nora, [(licence, 1)], attestation=(JANA, YESTERDAY))
    assert not Acceptance.objects.exists()
    assert not Order.objects.exists()


def test_future_date_is_refused_and_nothing_is_saved(acme, contoso, sam, licence):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        _place(acme, contoso, sam, [(licence, 1)], attestation=(JANA, tomorrow))
    assert "future" in str(error.value)
    assert not Acceptance.objects.exists()
    assert not Order.objects.exists()


def test_a_failure_in_order_placement_leaves_neither_acceptance_nor_order(
    acme, contoso, sam, licence, monkeypatch
):
    def broken(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(OrderLine.objects, "bulk_create", broken)
    with pytest.raises(DatabaseError):
        _place(acme, contoso, sam, [(licence, 1)], attestation=(JANA, YESTERDAY))
    assert not Acceptance.objects.exists()
    assert not Order.objects.exists()
    assert acme.relationships.get().agreement_status == AgreementStatus.NONE


def test_the_same_attestation_already_on_record_does_not_stop_the_order(
    acme, contoso, sam, alice, licence
):
    f.attest(
        acme,
        alice,
        first_name="Jana",
        last_name="Nováková",
        email="jana@acme.example",
        date_agreed=YESTERDAY,
    )
    order = _place(acme, contoso, sam, [(licence, 1)], attestation=(JANA, YESTERDAY))
    assert order.pk
    assert Acceptance.objects.count() == 1


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (lambda o: [], "Choose at least one offer"),
        (lambda o: [(o["licence"], 0)], "between 1 and"),
        (lambda o: [(o["licence"], 10_001)], "between 1 and"),
        (lambda o: [(o["licence"], 1), (o["licence"], 2)], "appears more than once"),
        (lambda o: [(o["us_only"], 1)], "not available in Czechia"),
        (lambda o: [(o["retired"], 1)], "not available in Czechia"),
    ],
)
def test_bad_lines_are_refused_before_anything_is_saved(
    acme, contoso, sam, licence, us_only, lines, message
):
    retired = f.OfferFactory(is_active=False)
    offers = {"licence": licence, "us_only": us_only, "retired": retired}
    with pytest.raises(ValidationError) as error:
        _place(acme, contoso, sam, lines(offers), attestation=(JANA, YESTERDAY))
    assert message in " ".join(error.value.messages)
    assert not Acceptance.objects.exists()
    assert not Order.objects.exists()


def test_one_time_purchases_do_not_renew(acme, contoso, sam, perpetual):
    f.attest(acme, sam)
    order = _place(acme, contoso, sam, [(perpetual, 1)])
    assert not order.auto_renew
    assert order.renewal_due is None


def test_api_orders_record_their_channel(acme, contoso, sam, licence):
    f.attest(acme, sam)
    order = _place(acme, contoso, sam, [(licence, 1)], channel=OrderChannel.API)
    assert order.channel == OrderChannel.API
