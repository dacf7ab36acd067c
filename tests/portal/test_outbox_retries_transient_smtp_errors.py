"""portal.outbox against a real SMTP server on a local port (tests/portal/smtp_server.py): a
transient error is retried later, a permanent one fails the message with the server's words."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal import outbox
from portal.models import OutboxMessage, OutboxStatus
from tests.portal.outbox_helpers import DATABASE_TASKS, queue, run_worker
from tests.portal.smtp_server import SmtpState, smtp_server


@pytest.fixture
def smtp(settings):
    """Django's SMTP backend pointed at a real SMTP server on a local port."""
    with smtp_server() as (port, state):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_TIMEOUT = 5
        yield state


def make_due(message: OutboxMessage) -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())


def test_a_4xx_answer_puts_the_email_back_with_a_delay_then_it_is_sent(db, smtp: SmtpState):
    smtp.replies = [{"MAIL": "421 4.7.0 Try again later"}]
    before = timezone.now()
    message = queue()
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert "421" in message.last_error
    assert message.next_attempt_at >= before + datetime.timedelta(seconds=60)
    assert smtp.received == []
    make_due(message)
    assert outbox.send_message.call(message.pk) == OutboxStatus.SENT
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 2
    assert len(smtp.received) == 1


def test_the_delay_doubles_with_each_attempt(db, smtp):
    smtp.replies = [{"DATA": "451 4.3.0 Local error"}] * 2
    message = queue()
    make_due(message)
    start = timezone.now()
    outbox.send_message.call(message.pk)
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.next_attempt_at >= start + datetime.timedelta(seconds=120)
    assert smtp.received == []


def test_a_server_that_hangs_up_is_a_transient_error(db, smtp):
    smtp.replies = [{"GREETING": None}]
    message = queue()
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.last_error


def test_no_server_at_all_is_a_transient_error(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # discard: nothing listens
    settings.EMAIL_TIMEOUT = 2
    message = queue()
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert "ConnectionRefusedError" in message.last_error


def test_a_5xx_answer_fails_the_email_with_the_servers_message(db, smtp):
    smtp.replies = [{"RCPT": "550 5.1.1 No such user"}]
    message = queue(body_text="link /t/SECRET/", kept_text="link /t/…/")
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert "No such user" in message.last_error
    assert "SECRET" not in message.body_text
    make_due(message)
    assert outbox.send_message.call(message.pk) == "skipped"
    assert smtp.received == []


def test_the_email_fails_after_the_last_attempt(db, smtp, settings):
    settings.EMAIL_MAX_ATTEMPTS = 2
    smtp.replies = [{"MAIL": "421 busy"}] * 2
    message = queue()
    make_due(message)
    outbox.send_message.call(message.pk)
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert "Gave up after 2 attempts" in message.last_error


@pytest.mark.django_db(transaction=True)
def test_the_worker_retries_at_the_time_it_set(settings, smtp):
    settings.TASKS = DATABASE_TASKS
    smtp.replies = [{"MAIL": "421 4.7.0 Try again later"}]
    with transaction.atomic():
        message = queue()
    run_worker()
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == message.next_attempt_at
    assert retry.queue_name == "email"
    run_worker()  # not due yet: nothing happens
    assert smtp.received == []
    # Time passes.
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    make_due(message)
    run_worker()
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert len(smtp.received) == 1
