"""The composer's Send puts the message in the outbox, keyed by the invitation, and the outbox
keeps no secret once the email is out (R7)."""

from __future__ import annotations

from django.core import mail

from invitations.email import token_from_link
from invitations.services import send_invitation
from portal import outbox
from portal.models import OutboxMessage, OutboxStatus
from tests.invitations.test_compose_and_send import draft_of, invite_from_account_info


def test_send_queues_one_outbox_message_per_send(client, sam, acme):
    client.force_login(sam)
    invitation, compose = invite_from_account_info(client, acme)
    subject, body = draft_of(client.get(compose).text)
    token = token_from_link(body)
    client.post(f"/invitations/{invitation.public_id}/send/", {"subject": subject, "body": body})
    message = OutboxMessage.objects.get()
    assert message.dedupe_key == f"invitation:{invitation.pk}:sent"
    assert message.status == OutboxStatus.SENT
    assert message.partner_id == invitation.partner_id
    assert message.recipient == acme.contact_email
    assert message.language == acme.language
    assert token in mail.outbox[0].body
    assert token not in message.body_text
    # The task running again sends nothing more.
    outbox.send_message.call(message.pk)
    assert len(mail.outbox) == 1
    # A deliberate second send (an edited message) is a message of its own.
    send_invitation(invitation=invitation, subject=subject, body=body + "\nP.S.")
    assert OutboxMessage.objects.filter(dedupe_key=f"invitation:{invitation.pk}:sent:2").exists()
    assert len(mail.outbox) == 2
