"""portal.outbox: a queued email is sent once, after its transaction commits, and never again."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from portal import outbox
from portal.models import OutboxMessage, OutboxStatus
from tests.portal.outbox_helpers import DATABASE_TASKS, queue, run_worker


class Rollback(Exception):
    pass


def test_a_queued_email_is_sent_through_the_mail_backend(db):
    message = queue(subject="Hi", body_text="Text", body_html="<p>Text</p>", language="cs")
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    [email] = mail.outbox
    assert email.to == ["jana@acme.example"]
    assert email.subject == "Hi"
    assert email.body == "Text"
    assert email.alternatives[0][1] == "text/html"
    assert email.extra_headers["Content-Language"] == "cs"


def test_the_same_key_twice_sends_one_email(db):
    first = queue("invitation:7:sent")
    second = queue("invitation:7:sent", body_text="Another")
    assert first.pk == second.pk
    assert len(mail.outbox) == 1


def test_a_task_that_runs_twice_sends_one_email(db):
    message = queue()
    assert outbox.send_message.call(message.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_secrets_are_not_kept_once_sent(db):
    message = queue(body_text="Your link: /t/SECRET/", kept_text="Your link: /t/…/")
    assert "SECRET" in mail.outbox[0].body
    message.refresh_from_db()
    assert message.body_text == "Your link: /t/…/"
    assert "SECRET" not in message.body_text + message.kept_text


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_sends_nothing(database_tasks):
    with pytest.raises(Rollback), transaction.atomic():
        queue()
        raise Rollback
    assert not OutboxMessage.objects.exists()
    assert not DBTaskResult.objects.exists()
    run_worker()
    assert mail.outbox == []


class RecordingBackend(LocmemBackend):
    """The real locmem backend, noting what the database said while the email left."""

    seen: list[tuple[bool, str]] = []

    def send_messages(self, messages):
        status = OutboxMessage.objects.values_list("status", flat=True).get()
        RecordingBackend.seen.append((connection.in_atomic_block, status))
        return super().send_messages(messages)


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_a_committed_email_once_its_claim_is_committed(database_tasks, settings):
    settings.EMAIL_BACKEND = "tests.portal.test_outbox_sends_each_email_once.RecordingBackend"
    RecordingBackend.seen = []
    with transaction.atomic():
        message = queue()
    assert mail.outbox == []
    run_worker()
    run_worker()
    # No transaction open while the email left: "sending" was already committed.
    assert RecordingBackend.seen == [(False, OutboxStatus.SENDING)]
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
