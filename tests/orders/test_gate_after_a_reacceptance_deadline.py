"""The order gate and a version requiring re-acceptance: an older record opens the gate until
the deadline (the last day); after it only a record of the new version (dated from its cut-off)
does, the API says 13605 naming the newer version; auto-renewals stay exempt; the old records
stay valid evidence."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from agreements import reacceptance
from agreements.models import Acceptance
from orders.models import GateRefusal, Order
from orders.services import OrderBlocked, order_gate, place_order
from portal.models import ApiToken
from tests import factories as f
from tests.api.conftest import ApiClient, assert_error

pytestmark = pytest.mark.django_db

PUBLISHED = datetime.date(2026, 10, 1)
DEADLINE = datetime.date(2026, 11, 27)


def at(time_machine, day: datetime.date) -> None:
    time_machine.move_to(datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC))


@pytest.fixture
def v2(template_cz):
    version = f.AgreementTemplateFactory(
        version_rank=template_cz.version_rank + 1,
        published_on=PUBLISHED,
        requires_reacceptance=True,
        reacceptance_deadline=DEADLINE,
    )
    f.AgreementDocumentFactory(template=version, country="CZ")
    return version


@pytest.fixture
def old_record(acme, sam, time_machine):
    at(time_machine, datetime.date(2026, 9, 1))
    return f.attest(acme, sam, date_agreed=datetime.date(2026, 8, 20))


def test_an_older_record_still_opens_the_gate_on_the_deadline(
    acme, contoso, old_record, v2, time_machine
):
    at(time_machine, DEADLINE)
    reacceptance.schedule(v2)
    assert order_gate(acme, contoso).allowed


def test_after_the_deadline_an_older_record_opens_nothing(
    acme, contoso, sam, licence, old_record, v2, time_machine
):
    at(time_machine, DEADLINE + datetime.timedelta(days=1))
    decision = order_gate(acme, contoso)
    assert not decision.allowed and decision.needs_acceptance
    assert "newer version" in decision.reason
    with pytest.raises(OrderBlocked):
        place_order(customer=acme, partner=contoso, placed_by=sam, lines=[(licence, 1)])
    assert not Order.objects.exists()
    assert GateRefusal.objects.filter(customer=acme).count() == 1
    # The old record stays on record, valid evidence of what was accepted then.
    assert Acceptance.objects.filter(pk=old_record.pk).exists()


def test_a_record_of_the_new_version_opens_it_again(
    acme, contoso, sam, licence, old_record, v2, time_machine
):
    at(time_machine, DEADLINE + datetime.timedelta(days=1))
    record = f.attest(acme, sam, date_agreed=DEADLINE, first_name="Petr")
    assert record.template == v2
    assert order_gate(acme, contoso).allowed
    place_order(customer=acme, partner=contoso, placed_by=sam, lines=[(licence, 1)])


def test_a_record_before_the_cutoff_opens_nothing_after_the_deadline(
    acme, contoso, sam, v2, time_machine
):
    at(time_machine, datetime.date(2026, 10, 5))
    f.attest(acme, sam, date_agreed=datetime.date(2026, 10, 2))
    v2.reacceptance_cutoff = datetime.date(2026, 10, 10)
    v2.save()
    at(time_machine, DEADLINE + datetime.timedelta(days=1))
    assert not order_gate(acme, contoso).allowed
    f.attest(acme, sam, date_agreed=datetime.date(2026, 10, 12), first_name="Petr")
    assert order_gate(acme, contoso).allowed


def test_the_api_answers_13605_naming_the_newer_version(
    acme, sam, licence, old_record, v2, time_machine
):
    at(time_machine, DEADLINE + datetime.timedelta(days=1))
    _token, secret = ApiToken.issue(user=sam, name="test")
    response = ApiClient(secret).post_json(
        f"/v1/customers/{acme.tenant_id}/orders",
        {"lineItems": [{"offerId": licence.offer_id, "quantity": 1}]},
    )
    body = assert_error(response, 403, 13605)
    assert "newer version" in body["description"]
    assert f"version {v2.version_rank}" in body["description"]


def test_auto_renewals_stay_exempt_after_the_deadline(
    acme, contoso, licence, old_record, v2, time_machine
):
    at(time_machine, DEADLINE + datetime.timedelta(days=1))
    assert order_gate(acme, contoso, auto_renewal=True).allowed
    order = f.OrderFactory(
        customer=acme,
        partner=contoso,
        auto_renew=True,
        renewal_due=DEADLINE + datetime.timedelta(days=1),
    )
    f.OrderLineFactory(order=order, offer=licence, quantity=2, unit_price="30.00")
    out = StringIO()
    call_command("renew_subscriptions", stdout=out)
    assert Order.objects.filter(renews=order, is_auto_renewal=True).count() == 1


def test_a_resellers_customer_needs_its_providers_new_attestation(
    initech, northwind, frank, v2, time_machine
):
    at(time_machine, datetime.date(2026, 9, 1))
    f.attest(initech, frank, date_agreed=datetime.date(2026, 8, 20))
    at(time_machine, DEADLINE + datetime.timedelta(days=1))
    assert not order_gate(initech, northwind).allowed
    f.attest(initech, frank, date_agreed=DEADLINE, first_name="Petr")
    assert order_gate(initech, northwind).allowed
