"""portal.outbox: a partner sends at most EMAIL_RATE_PER_PARTNER_PER_MINUTE emails a minute; the
rest wait for the window to move (deferred with run_after, never dropped)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal import outbox
from portal.models import OutboxMessage, OutboxStatus
from tests import factories as f
from tests.portal.outbox_helpers import DATABASE_TASKS, queue, run_worker


def test_emails_over_the_partners_rate_wait_for_the_next_minute(db, settings):
    settings.EMAIL_RATE_PER_PARTNER_PER_MINUTE = 2
    partner, other = f.PartnerFactory(), f.PartnerFactory()
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        for n in range(3):
            queue(f"k{n}", partner_id=partner.pk)
        queue("other", partner_id=other.pk)
        queue("no partner")
    assert len(mail.outbox) == 4
    waiting = OutboxMessage.objects.get(status=OutboxStatus.PENDING)
    assert waiting.dedupe_key == "k2"
    assert waiting.next_attempt_at == now + datetime.timedelta(minutes=1)
    assert waiting.attempts == 0
    # Later, the worker's recoverer finds it due and it goes.
    with time_machine.travel(now + datetime.timedelta(minutes=20), tick=False):
        outbox.recover()
    waiting.refresh_from_db()
    assert waiting.status == OutboxStatus.SENT
    assert len(mail.outbox) == 5


@pytest.mark.django_db(transaction=True)
def test_the_worker_defers_an_email_over_the_rate_with_run_after(settings):
    settings.TASKS = DATABASE_TASKS
    settings.EMAIL_RATE_PER_PARTNER_PER_MINUTE = 1
    partner = f.PartnerFactory()
    with transaction.atomic():
        queue("a", partner_id=partner.pk)
        queue("b", partner_id=partner.pk)
    run_worker()
    assert len(mail.outbox) == 1
    waiting = OutboxMessage.objects.get(status=OutboxStatus.PENDING)
    deferred = DBTaskResult.objects.get(status="READY")
    assert deferred.run_after == waiting.next_attempt_at
    assert deferred.run_after > timezone.now()
