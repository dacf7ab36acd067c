"""Every alert event, caused the real way, reaches the webhook endpoints of the partners it
concerns (and only theirs) under its Partner Center style name, once."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import transaction
from django.utils import timezone

from agreements import reacceptance
from agreements.services import request_attestation
from alerts import daily, webhooks
from alerts.models import WEBHOOK_EVENTS, Event, Notification
from invitations.services import _mark_blocked
from orders.services import OrderBlocked, place_order
from tests import factories as f
from tests.alerts.http_server import http_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def receivers(contoso, litware, fabrikam, alice, lisa, frank):
    with http_server() as (url, state):
        for partner, agent in ((contoso, alice), (litware, lisa), (fabrikam, frank)):
            webhooks.register(
                partner_id=partner.pk,
                url=f"{url}/{partner.name.split()[0].lower()}",
                events=WEBHOOK_EVENTS,
                description="",
                by=agent,
            )
        yield state


def arrived(state) -> list[tuple[str, str]]:
    return sorted((r.path, json.loads(r.body)["EventName"]) for r in state.received)


def test_the_events_of_a_write(receivers, contoso, acme, acme_admin, sam, initech, northwind, nora):
    f.accept_directly(acme, acme_admin, contoso)
    invitation = f.InvitationFactory(partner=contoso, customer=acme, created_by=sam)
    with transaction.atomic():
        _mark_blocked(invitation, timezone.now())
        _mark_blocked(invitation, timezone.now())
    request_attestation(customer=initech, reseller=northwind, requested_by=nora)
    other = f.CustomerFactory(domain="refused.onmicrosoft.com")
    f.RelationshipFactory(partner=contoso, customer=other)
    licence = f.OfferFactory(offer_id="MS-365-E3", countries=["CZ"])
    with pytest.raises(OrderBlocked):
        place_order(customer=other, partner=contoso, placed_by=sam, lines=[(licence, 1)])
    assert arrived(receivers) == [
        ("/contoso", "agreement-accepted-by-customer"),
        ("/contoso", "invitation-blocked"),
        ("/contoso", "order-refused"),
        ("/fabrikam", "attestation-requested"),
    ]
    refused = next(json.loads(r.body) for r in receivers.received if b"order-refused" in r.body)
    assert refused["Data"]["CustomerTenantId"] == str(other.tenant_id)
    assert refused["ResourceUri"].endswith(f"/v1/customers/{other.tenant_id}")


def test_the_events_of_the_day(receivers, contoso, acme, sam, template_cz, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 28, 10, 0, tzinfo=datetime.UTC))
    f.InvitationFactory(
        partner=contoso,
        customer=acme,
        created_by=sam,
        expires_at=timezone.now() + datetime.timedelta(days=2),
    )
    other = f.CustomerFactory(domain="lapsed.onmicrosoft.com")
    f.RelationshipFactory(partner=contoso, customer=other)
    f.InvitationFactory(
        partner=contoso,
        customer=other,
        created_by=sam,
        expires_at=timezone.now() - datetime.timedelta(hours=3),
    )
    due = f.CustomerFactory(domain="due.onmicrosoft.com")
    f.RelationshipFactory(partner=contoso, customer=due)
    f.attest(due, sam, date_agreed=datetime.date(2026, 1, 5))
    version = f.AgreementTemplateFactory(
        version_rank=template_cz.version_rank + 1,
        published_on=datetime.date(2026, 11, 27),
        requires_reacceptance=True,
        reacceptance_deadline=datetime.date(2026, 12, 13),
    )
    f.AgreementDocumentFactory(template=version, country="CZ")
    reacceptance.schedule(version)
    daily.run()
    daily.run()
    assert arrived(receivers) == [
        ("/contoso", "agreement-version-published"),
        ("/contoso", "invitation-expired"),
        ("/contoso", "invitation-expiring"),
        ("/fabrikam", "agreement-version-published"),
        ("/litware", "agreement-version-published"),
    ]
    receivers.received.clear()
    # 14 and 3 days before the deadline: only Contoso has a customer still due.
    for day in (29, 30):
        time_machine.move_to(datetime.datetime(2026, 11, day, 10, 0, tzinfo=datetime.UTC))
        daily.run()
    time_machine.move_to(datetime.datetime(2026, 12, 10, 10, 0, tzinfo=datetime.UTC))
    daily.run()
    deadlines = [
        (r.path, json.loads(r.body)["Data"]["DaysLeft"])
        for r in receivers.received
        if json.loads(r.body)["EventName"] == "reacceptance-deadline-approaching"
    ]
    assert deadlines == [("/contoso", 14), ("/contoso", 3)]
    # The agents were told the same two days (and no other).
    keys = set(
        Notification.objects.filter(event=Event.CAMPAIGN_DEADLINE).values_list("key", flat=True)
    )
    assert keys == {f"deadline:{version.pk}:14", f"deadline:{version.pk}:3"}
