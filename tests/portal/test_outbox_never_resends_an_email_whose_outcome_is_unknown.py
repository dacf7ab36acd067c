"""portal.outbox's recoverer: a message a dead worker left "sending" becomes "unknown" and is
never sent again; a pending message whose task was lost is sent."""

from __future__ import annotations

import datetime
import logging

from django.core import mail
from django.utils import timezone

from portal import background, outbox
from portal.models import OutboxMessage, OutboxStatus
from tests import factories as f


def test_a_message_left_sending_by_a_crashed_worker_becomes_unknown_and_is_not_resent(db, caplog):
    message = OutboxMessage.objects.create(
        dedupe_key="invitation:1:sent",
        recipient="jana@acme.example",
        subject="Hi",
        body_text="link /t/SECRET/",
        status=OutboxStatus.SENDING,
        attempts=1,
        claimed_at=timezone.now() - datetime.timedelta(hours=1),
    )
    with caplog.at_level(logging.ERROR, logger="portal.outbox"):
        background.recover()
    message.refresh_from_db()
    assert message.status == OutboxStatus.UNKNOWN
    assert "not sent again" in message.last_error
    assert "outcome unknown" in caplog.text
    assert outbox.send_message.call(message.pk) == "skipped"
    assert mail.outbox == []


def test_a_message_still_being_sent_is_left_alone(db):
    message = OutboxMessage.objects.create(
        dedupe_key="k",
        recipient="jana@acme.example",
        subject="Hi",
        body_text="x",
        status=OutboxStatus.SENDING,
        claimed_at=timezone.now() - datetime.timedelta(seconds=30),
    )
    outbox.recover()
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENDING


def test_a_pending_message_whose_task_was_lost_is_sent_by_the_recoverer(db):
    message = OutboxMessage.objects.create(
        dedupe_key="k",
        recipient="jana@acme.example",
        subject="Hi",
        body_text="x",
        partner=f.PartnerFactory(),
        next_attempt_at=timezone.now() - datetime.timedelta(hours=1),
    )
    assert outbox.recover() == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert len(mail.outbox) == 1
    assert outbox.recover() == 0
