"""The email outbox: every email the portal sends goes through here.

``queue()`` writes an OutboxMessage in the caller's transaction and enqueues the task that sends
it (portal.background: the task commits with the row or not at all). The task:

1. **claims** the message — a pending one that is due, under a row lock — and marks it
   *sending* in a transaction of its own, committed before the SMTP conversation starts;
2. hands it to Django's mail backend (``EMAIL_BACKEND``);
3. records the outcome: *sent*; or, for a transient SMTP error, *pending* again with a doubling
   delay and a task enqueued to run then; or *failed* with the error.

A message found *sending* long after it was claimed belonged to a worker that died mid-send:
it may have left, so it becomes *unknown* and is reported, never sent again. Pending messages
whose task was lost are enqueued again by the recoverer (``manage.py worker`` runs it).

Each partner sends at most ``EMAIL_RATE_PER_PARTNER_PER_MINUTE`` a minute: a message over the
limit waits for the window to move (deferred, never dropped).

Under the immediate backend (tests) the task runs on the spot, inside the caller's transaction;
the database and RQ backends run it only after the caller commits.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task, task_backends

from portal import background
from portal.models import OutboxMessage, OutboxStatus, Partner

logger = logging.getLogger(__name__)

RATE_WINDOW = datetime.timedelta(minutes=1)
MAX_BACKOFF = datetime.timedelta(hours=1)
# How overdue a pending message must be before the recoverer assumes its task was lost.
LOST_AFTER = datetime.timedelta(minutes=10)


class TransientError(Exception):
    """Sending failed in a way that may well work later."""


# Copies (CC) of a message, by the prefix of its deduplication key: an app above this one
# that keeps a message's copies registers where to find them (invitations: the composer's CC).
_copies: dict[str, Callable[[str], list[str]]] = {}


def register_copies(prefix: str, lookup: Callable[[str], list[str]]) -> None:
    _copies[prefix] = lookup


def copies_for(message: OutboxMessage) -> list[str]:
    for prefix, lookup in _copies.items():
        if message.dedupe_key.startswith(prefix):
            return lookup(message.dedupe_key)
    return []


def queue(
    *,
    dedupe_key: str,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    kept_text: str = "",
    language: str = "",
    partner_id: int | None = None,
) -> OutboxMessage:
    """Put a message in the outbox, in the caller's transaction, and enqueue its sending.

    ``dedupe_key`` names the reason for the message ("invitation:42:sent"): a second call with
    the same key returns the first message and sends nothing more. ``kept_text`` is the body as
    it may stay on record once sent (without secrets); blank keeps ``body_text``.
    """
    with transaction.atomic():
        message, created = OutboxMessage.objects.get_or_create(
            dedupe_key=dedupe_key,
            defaults={
                "recipient": to,
                "subject": subject,
                "body_text": body_text,
                "body_html": body_html,
                "kept_text": kept_text,
                "language": language,
                "partner_id": partner_id,
            },
        )
        if created:
            background.enqueue(send_message, message.pk)
    return message


def _backoff(attempts: int) -> datetime.timedelta:
    delay = datetime.timedelta(seconds=settings.EMAIL_RETRY_BASE_SECONDS * 2 ** (attempts - 1))
    return min(delay, MAX_BACKOFF)


def _schedule(message_id: int, when: datetime.datetime) -> None:
    """Enqueue the message's task to run at ``when`` — where the backend can wait; otherwise
    (the immediate backend) the recoverer enqueues it once it is due."""
    if task_backends[send_message.backend].supports_defer:
        background.enqueue(send_message.using(run_after=when), message_id)


def _rate_limited_until(message: OutboxMessage, now: datetime.datetime) -> datetime.datetime | None:
    """When the partner's window has room again, if it has none now."""
    if message.partner_id is None:
        return None
    limit = settings.EMAIL_RATE_PER_PARTNER_PER_MINUTE
    recent = list(
        OutboxMessage.objects.filter(
            partner_id=message.partner_id, claimed_at__gt=now - RATE_WINDOW
        )
        .order_by("-claimed_at")
        .values_list("claimed_at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return None
    # The oldest of the last `limit` sends leaves the window first.
    oldest = recent[-1]
    assert oldest is not None  # filtered on
    return oldest + RATE_WINDOW


def _claim(message_id: int) -> OutboxMessage | None:
    """Mark the message sending and commit, or say why not (None): not pending, not due, locked
    by another worker, or deferred by the partner's rate limit."""
    now = timezone.now()
    with transaction.atomic():
        rows = OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.PENDING)
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        else:
            rows = rows.select_for_update()
        message = rows.first()
        if message is None:
            return None
        if message.next_attempt_at > now:
            # An early task (a duplicate, or recovered before its time): the due one will come.
            return None
        if message.partner_id is not None:
            # One claim at a time per partner, so two workers can't both take the last slot.
            Partner.objects.select_for_update().filter(pk=message.partner_id).exists()
            until = _rate_limited_until(message, now)
            if until is not None:
                message.next_attempt_at = until
                message.save(update_fields=["next_attempt_at"])
                _schedule(message.pk, until)
                return None
        message.status = OutboxStatus.SENDING
        message.claimed_at = now
        message.attempts += 1
        message.save(update_fields=["status", "claimed_at", "attempts"])
    return message


def _deliver(message: OutboxMessage) -> None:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        to=[message.recipient],
        cc=copies_for(message),
        headers={"Content-Language": message.language} if message.language else None,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    try:
        email.send(fail_silently=False)
    except smtplib.SMTPServerDisconnected as error:
        raise TransientError(str(error) or "server disconnected") from error
    except smtplib.SMTPConnectError as error:
        raise TransientError(_describe(error)) from error
    except smtplib.SMTPResponseException as error:
        if 400 <= error.smtp_code < 500:
            raise TransientError(_describe(error)) from error
        raise
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _text in error.recipients.values()]
        if codes and all(400 <= code < 500 for code in codes):
            raise TransientError(str(error.recipients)) from error
        raise
    except OSError as error:
        if isinstance(error, smtplib.SMTPException):
            raise
        # Connection refused or reset, a timeout, a name that doesn't resolve.
        raise TransientError(f"{type(error).__name__}: {error}") from error


def _describe(error: smtplib.SMTPResponseException) -> str:
    text = error.smtp_error
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{error.smtp_code} {text}"


def _finish(message: OutboxMessage, **changes: Any) -> None:
    if message.kept_text:
        # The secrets were only needed to send (R7).
        changes.update(body_text=message.kept_text, body_html="", kept_text="")
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.SENDING).update(**changes)


@task(queue_name="email")
def send_message(message_id: int) -> str:
    """Send one outbox message, at most once; returns what became of it."""
    message = _claim(message_id)
    if message is None:
        return "skipped"
    try:
        _deliver(message)
    except TransientError as error:
        now = timezone.now()
        if message.attempts >= settings.EMAIL_MAX_ATTEMPTS:
            _finish(
                message,
                status=OutboxStatus.FAILED,
                last_error=f"Gave up after {message.attempts} attempts: {error}",
            )
            logger.error("Email %s failed for good: %s", message.pk, error)
            return OutboxStatus.FAILED
        when = now + _backoff(message.attempts)
        with transaction.atomic():
            OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.SENDING).update(
                status=OutboxStatus.PENDING, next_attempt_at=when, last_error=str(error)
            )
            _schedule(message.pk, when)
        logger.warning("Email %s will be retried at %s: %s", message.pk, when, error)
        return OutboxStatus.PENDING
    except Exception as error:
        _finish(message, status=OutboxStatus.FAILED, last_error=f"{type(error).__name__}: {error}")
        logger.error("Email %s failed: %s", message.pk, error)
        return OutboxStatus.FAILED
    _finish(message, status=OutboxStatus.SENT, sent_at=timezone.now(), last_error="")
    return OutboxStatus.SENT


def recover() -> int:
    """The outbox's recoverer: a message left *sending* by a dead worker becomes *unknown*
    (reported, never resent); a pending message overdue by more than LOST_AFTER has lost its
    task and is enqueued again (a duplicate task is harmless: only one can claim it)."""
    now = timezone.now()
    stale = OutboxMessage.objects.filter(
        status=OutboxStatus.SENDING,
        claimed_at__lt=now - datetime.timedelta(seconds=settings.EMAIL_SENDING_TIMEOUT_SECONDS),
    )
    for pk, recipient in stale.values_list("pk", "recipient"):
        updated = OutboxMessage.objects.filter(pk=pk, status=OutboxStatus.SENDING).update(
            status=OutboxStatus.UNKNOWN,
            last_error="The worker sending this message stopped before recording the outcome; "
            "it may or may not have been delivered, so it is not sent again.",
        )
        if updated:
            logger.error(
                "Email %s to %s: outcome unknown (worker lost mid-send), not resent",
                pk,
                recipient,
            )
    enqueued = 0
    lost = OutboxMessage.objects.filter(
        status=OutboxStatus.PENDING, next_attempt_at__lt=now - LOST_AFTER
    ).values_list("pk", flat=True)
    for pk in lost.iterator():
        with transaction.atomic():
            background.enqueue(send_message, pk)
        enqueued += 1
    return enqueued


background.register_recoverer(recover)
