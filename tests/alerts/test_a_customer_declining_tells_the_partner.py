"""A customer declining an invitation (its admin, in the admin center) or a signing link (the
signatory) tells the partner that asked, as each agent chose for the event (by default admin
and sales agents at once, helpdesk and billing in the digest), with the reason; once; nothing
when the answer rolls back; and the partner's webhooks that chose the event get it."""

from __future__ import annotations

import json

import pytest
from django.db import transaction

from alerts import webhooks
from alerts.models import WEBHOOK_EVENTS, AlertPreference, Delivery, Event, Notification
from invitations.services import decline_invitation
from portal.models import OutboxMessage, User
from signing import services as signing_services
from signing.models import SigningRequest
from tests import factories as f
from tests.alerts.http_server import http_server

pytestmark = pytest.mark.django_db


def told() -> dict[str, str]:
    return dict(
        Notification.objects.filter(event=Event.CUSTOMER_DECLINED).values_list(
            "recipient__email", "delivery"
        )
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


def test_a_declined_invitation_tells_its_partner_as_each_agent_chose(
    client, acme_admin, acme_invitation, contoso_team, lisa
):
    alice, sam, hana, bill = contoso_team
    AlertPreference.objects.create(user=hana, event=Event.CUSTOMER_DECLINED, delivery=Delivery.NONE)
    AlertPreference.objects.create(
        user=sam, event=Event.CUSTOMER_DECLINED, delivery=Delivery.DIGEST
    )
    invitation, _path, _token = acme_invitation
    client.force_login(acme_admin)
    response = client.post(
        f"/admin-center/requests/{invitation.public_id}/decline/",
        {"reason": "We buy through another partner."},
    )
    assert response.status_code == 302
    assert told() == {
        alice.email: Delivery.IMMEDIATE,
        sam.email: Delivery.DIGEST,
        bill.email: Delivery.DIGEST,
    }
    assert emailed() == {alice.email}
    assert lisa.email not in told()  # another partner hears nothing
    note = Notification.objects.get(recipient=alice)
    assert "We buy through another partner." in note.body
    assert note.link == f"/customers/{invitation.customer.tenant_id}/"
    email = OutboxMessage.objects.get(recipient=alice.email)
    assert "We buy through another partner." in email.body_text
    assert User.objects.get(pk=alice.pk).unread_notifications == 1


def test_each_partner_reads_it_in_its_language(
    acme_admin, acme_invitation, alice, invite, globex, lisa, litware
):
    """A partner in Czechia reads Czech; one elsewhere English."""
    litware.country = "US"
    litware.save()
    invitation, _path, _token = acme_invitation
    decline_invitation(invitation_id=invitation.pk, user=acme_admin)
    note = Notification.objects.get(recipient=alice)
    assert note.title == "Zákazník Acme s.r.o. odmítl vaši pozvánku"
    assert "Důvod nebyl uveden." in note.body
    other, _path, _token = invite(globex, agent=lisa)
    globex_admin = f.CustomerAdminFactory(customer=globex, must_change_password=False)
    decline_invitation(invitation_id=other.pk, user=globex_admin, reason="Too early.")
    note = Notification.objects.get(recipient=lisa)
    assert note.title == f"{globex.company_name} declined your invitation"
    assert note.body == (
        f"{globex.company_name} declined your invitation in the admin center "
        f"({other.get_kind_display()}). Their reason: “Too early.”"
    )


def test_nothing_is_told_when_the_decline_rolls_back(acme_admin, acme_invitation, alice):
    invitation, _path, _token = acme_invitation
    with pytest.raises(RuntimeError), transaction.atomic():
        decline_invitation(invitation_id=invitation.pk, user=acme_admin, reason="No.")
        raise RuntimeError
    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.filter(dedupe_key__startswith="alert:").exists()


def test_a_declined_signing_link_tells_its_partner_once(
    client,
    acme,
    start_signing,
    verified,
    contoso_team,
):
    alice, sam, hana, bill = contoso_team
    request, path = start_signing(acme)
    proof = verified(path)
    response = client.post(
        path + "answer/", {"proof": proof, "reason": "Not our signatory.", "decline": "1"}
    )
    assert response.status_code == 302
    assert told() == {
        alice.email: Delivery.IMMEDIATE,
        sam.email: Delivery.IMMEDIATE,
        hana.email: Delivery.DIGEST,
        bill.email: Delivery.DIGEST,
    }
    assert emailed() == {alice.email, sam.email}
    note = Notification.objects.get(recipient=sam)
    assert "Jana Nováková" in note.title and "Acme" in note.title
    assert "Not our signatory." in note.body
    assert note.key == f"declined:signing:{request.pk}"
    # Answered already: a second decline is refused and tells nobody again.
    again = client.post(path + "answer/", {"proof": proof, "reason": "x", "decline": "1"})
    assert again.status_code != 302 or Notification.objects.count() == 4
    assert Notification.objects.filter(event=Event.CUSTOMER_DECLINED).count() == 4


def test_the_signing_service_sends_its_own_signal(acme, start_signing, verified):
    """signing tells whoever listens (alerts connects in its ready()), importing nothing above."""
    from signing.signals import signing_declined

    heard = []

    def listener(sender, signing_request, **kwargs):
        heard.append((signing_request.status, signing_request.decline_reason))

    signing_declined.connect(listener)
    try:
        request, path = start_signing(acme)
        proof = verified(path)
        signing_services.decline_signing(request=request, proof=proof, reason="  Later. ")
    finally:
        signing_declined.disconnect(listener)
    assert heard == [("declined", "Later.")]
    assert SigningRequest.objects.get(pk=request.pk).status == "declined"


def test_the_webhooks_that_chose_it_get_the_declines(
    client,
    contoso,
    litware,
    alice,
    lisa,
    acme_admin,
    acme_invitation,
    acme,
    start_signing,
    verified,
):
    with http_server() as (url, state):
        for partner, agent in ((contoso, alice), (litware, lisa)):
            webhooks.register(
                partner_id=partner.pk,
                url=f"{url}/{partner.name.split()[0].lower()}",
                events=WEBHOOK_EVENTS,
                description="",
                by=agent,
            )
        invitation, _path, _token = acme_invitation
        decline_invitation(invitation_id=invitation.pk, user=acme_admin, reason="No thanks.")
        request, path = start_signing(acme)
        proof = verified(path)
        signing_services.decline_signing(request=request, proof=proof, reason="")
        bodies = [(r.path, json.loads(r.body)) for r in state.received]
    assert Event.CUSTOMER_DECLINED in WEBHOOK_EVENTS
    assert [(p, b["EventName"]) for p, b in bodies] == [
        ("/contoso", "request-declined-by-customer"),
        ("/contoso", "request-declined-by-customer"),
    ]
    by_type = {b["Data"]["RequestType"]: b for _p, b in bodies}
    assert by_type["Invitation"]["Data"] == {
        "CustomerTenantId": str(acme.tenant_id),
        "RequestType": "Invitation",
        "InvitationId": str(invitation.public_id),
        "Reason": "No thanks.",
    }
    assert by_type["SigningLink"]["ResourceName"] == "EnhancedAttestation"
    assert by_type["SigningLink"]["ResourceUri"].endswith(
        f"/v1/attestations/enhanced/{request.public_id}"
    )
    assert by_type["SigningLink"]["Data"]["AttestationId"] == str(request.public_id)


def test_an_agent_chooses_how_to_hear_of_it(client, sam):
    client.force_login(sam)
    page = client.get("/notifications/settings/").text
    assert "A customer declined an invitation or signing request" in page
