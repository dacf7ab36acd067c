"""Each event produces exactly the alerts its recipients chose: a notification for everyone
who didn't choose "not at all", an outbox email at once for those who chose it (by default
admin and sales agents), the day's digest for the others (by default helpdesk and billing);
told again, nothing more; rolled back, nothing at all."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from agreements import reacceptance
from agreements.services import request_attestation
from alerts import daily
from alerts.models import AlertPreference, Delivery, Event, Notification
from alerts.services import send_digests
from invitations.services import _mark_blocked
from orders.services import OrderBlocked, place_order
from portal.models import OutboxMessage, User
from tests import factories as f

pytestmark = pytest.mark.django_db


def told(event: str) -> dict[str, str]:
    return dict(
        Notification.objects.filter(event=event).values_list("recipient__email", "delivery")
    )


def emailed() -> set[str]:
    return set(
        OutboxMessage.objects.filter(dedupe_key__startswith="alert:").values_list(
            "recipient", flat=True
        )
    )


@pytest.fixture
def contoso_team(alice, sam, hana, bill, lisa):
    return alice, sam, hana, bill


def test_a_direct_acceptance_tells_the_inviting_partner_as_each_agent_chose(
    contoso, acme, acme_admin, contoso_team
):
    alice, sam, hana, bill = contoso_team
    AlertPreference.objects.create(user=sam, event=Event.ACCEPTED_DIRECTLY, delivery=Delivery.NONE)
    f.accept_directly(acme, acme_admin, contoso)
    assert told(Event.ACCEPTED_DIRECTLY) == {
        alice.email: Delivery.IMMEDIATE,
        hana.email: Delivery.DIGEST,
        bill.email: Delivery.DIGEST,
    }
    assert emailed() == {alice.email}
    assert User.objects.get(pk=alice.pk).unread_notifications == 1
    assert User.objects.get(pk=sam.pk).unread_notifications == 0

    assert send_digests() == 2
    digests = OutboxMessage.objects.filter(dedupe_key__startswith="digest:")
    assert set(digests.values_list("recipient", flat=True)) == {hana.email, bill.email}
    assert send_digests() == 0


def test_a_blocked_invitation_tells_its_partner_once(contoso, acme, contoso_team):
    alice, sam, _hana, _bill = contoso_team
    invitation = f.InvitationFactory(partner=contoso, customer=acme, created_by=sam)
    with transaction.atomic():
        _mark_blocked(invitation, timezone.now())
    assert set(told(Event.INVITATION_BLOCKED)) == {alice.email, sam.email, "hana@contoso.example", "bill@contoso.example"}
    assert emailed() == {alice.email, sam.email}
    with transaction.atomic():
        _mark_blocked(invitation, timezone.now())
    assert Notification.objects.filter(event=Event.INVITATION_BLOCKED).count() == 4


def test_a_resellers_request_tells_the_provider(initech, northwind, nora, frank, contoso_team):
    request_attestation(customer=initech, reseller=northwind, requested_by=nora)
    assert told(Event.ATTESTATION_REQUESTED) == {frank.email: Delivery.IMMEDIATE}
    assert emailed() == {frank.email}


def test_a_refused_order_tells_the_partner(contoso, acme, contoso_team):
    alice, sam, hana, bill = contoso_team
    licence = f.OfferFactory(offer_id="MS-365-E3", countries=["CZ"])
    with pytest.raises(OrderBlocked):
        place_order(customer=acme, partner=contoso, placed_by=sam, lines=[(licence, 1)])
    assert told(Event.ORDER_REFUSED) == {
        alice.email: Delivery.IMMEDIATE,
        sam.email: Delivery.IMMEDIATE,
        hana.email: Delivery.DIGEST,
        bill.email: Delivery.DIGEST,
    }


def test_nothing_is_told_when_the_change_rolls_back(contoso, acme, acme_admin, contoso_team):
    with pytest.raises(RuntimeError), transaction.atomic():
        f.accept_directly(acme, acme_admin, contoso)
        raise RuntimeError
    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_the_daily_run_tells_of_lapsing_and_lapsed_invitations_once(
    contoso, acme, contoso_team, litware
):
    alice, sam, _hana, _bill = contoso_team
    lapsing = f.InvitationFactory(
        partner=contoso,
        customer=acme,
        created_by=sam,
        expires_at=timezone.now() + datetime.timedelta(days=2),
    )
    other = f.CustomerFactory()
    f.RelationshipFactory(partner=contoso, customer=other)
    lapsed = f.InvitationFactory(
        partner=contoso,
        customer=other,
        created_by=sam,
        expires_at=timezone.now() - datetime.timedelta(hours=3),
    )
    far = f.CustomerFactory()
    f.RelationshipFactory(partner=contoso, customer=far)
    f.InvitationFactory(partner=contoso, customer=far, created_by=sam)
    daily.run()
    keys = set(Notification.objects.values_list("key", flat=True))
    assert keys == {f"lapsing:{lapsing.pk}", f"lapsed:{lapsed.pk}"}
    assert Notification.objects.filter(recipient=alice).count() == 2
    before = (Notification.objects.count(), OutboxMessage.objects.count())
    daily.run()
    assert (Notification.objects.count(), OutboxMessage.objects.count()) == before


def test_a_published_version_and_its_deadline_reach_the_partners_concerned(
    contoso, litware, acme, template_cz, contoso_team, lisa, time_machine
):
    alice, sam, _hana, _bill = contoso_team
    time_machine.move_to(datetime.datetime(2026, 11, 28, 10, 0, tzinfo=datetime.UTC))
    f.attest(acme, sam, date_agreed=datetime.date(2026, 1, 5))
    version = f.AgreementTemplateFactory(
        version_rank=template_cz.version_rank + 1,
        published_on=datetime.date(2026, 11, 27),
        requires_reacceptance=True,
        reacceptance_deadline=datetime.date(2026, 12, 13),
    )
    f.AgreementDocumentFactory(template=version, country="CZ")
    reacceptance.schedule(version)
    daily.run()
    assert set(told(Event.VERSION_PUBLISHED)) == {
        alice.email,
        sam.email,
        "hana@contoso.example",
        "bill@contoso.example",
        lisa.email,
    }
    assert not told(Event.CAMPAIGN_DEADLINE)
    time_machine.move_to(datetime.datetime(2026, 11, 28 + 1, 10, 0, tzinfo=datetime.UTC))
    daily.run()
    # 14 days before the deadline: only Contoso has a customer still due.
    assert set(told(Event.CAMPAIGN_DEADLINE)) == {
        alice.email,
        sam.email,
        "hana@contoso.example",
        "bill@contoso.example",
    }
    assert Notification.objects.filter(event=Event.VERSION_PUBLISHED).count() == 5
