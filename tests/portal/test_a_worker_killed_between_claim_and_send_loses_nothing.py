"""Nothing lost, nothing sent twice, with a real ``manage.py worker`` killed (SIGKILL) between
its claim's commit and the end of the send (PostgreSQL: the worker is another process on the
test's database; SQLite's test database lives in the test process's memory).

- An email: the SMTP server takes the message and stalls before saying whether it accepted it;
  the worker is killed there. The next worker finds the claim stale and marks the message
  *unknown* — reported, never sent again (portal.outbox's promise: at most once).
- A webhook: the receiver reads the POST and stalls; the worker is killed. The next worker sends
  it again with the same EventId (alerts.webhooks' promise: at least once, the event id for the
  receiver to drop the repeat), and the log shows the lost attempt as unknown.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import signal
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection, transaction

from alerts import webhooks
from alerts.models import DeliveryStatus, Event, WebhookAttempt, WebhookDelivery
from portal import outbox
from portal.models import OutboxMessage, OutboxStatus
from tests.alerts.http_server import http_server
from tests.portal.outbox_helpers import DATABASE_TASKS, queue
from tests.portal.smtp_server import smtp_server

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: the worker runs in another process on the same database",
    ),
    pytest.mark.django_db(transaction=True),
]

WORKER = [sys.executable, "manage.py", "worker", "--batch", "--no-startup-delay", "--no-reload"]


def _env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "MCA_TEST_DATABASE_NAME": connection.settings_dict["NAME"],
        "MCA_TEST_EVIDENCE_KEY_DIR": str(settings.EVIDENCE_KEY_DIR),
        **extra,
    }


def _kill_once_stalled(stalled, env: dict[str, str]) -> None:
    """Start a worker, wait until the far side holds what it sent, and SIGKILL it there."""
    worker = subprocess.Popen(
        WORKER, cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert stalled.wait(60), worker.stderr.read().decode() if worker.poll() is not None else ""
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(30)
        worker.stdout.close()
        worker.stderr.close()
    assert worker.returncode == -signal.SIGKILL


def _next_worker(env: dict[str, str]) -> None:
    # The dead worker's claim is stale at once for this worker (the real timeout is minutes).
    result = subprocess.run(
        WORKER,
        cwd=settings.BASE_DIR,
        env={**env, "MCA_TEST_SENDING_TIMEOUT_SECONDS": "0"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_an_email_whose_worker_was_killed_mid_send_is_unknown_and_never_sent_again(settings):
    settings.TASKS = DATABASE_TASKS
    with smtp_server() as (port, smtp):
        smtp.replies = [{"DATA": "STALL"}]
        with transaction.atomic():
            message = queue("kill:1", subject="Your invitation", body_text="Hello\n")
        env = _env(EMAIL_URL=f"smtp://127.0.0.1:{port}")
        _kill_once_stalled(smtp.stalled, env)
        # The claim was committed before the SMTP conversation: the row says so.
        message.refresh_from_db()
        assert (message.status, message.attempts) == (OutboxStatus.SENDING, 1)

        _next_worker(env)
        message.refresh_from_db()
        assert message.status == OutboxStatus.UNKNOWN
        assert "not sent again" in message.last_error
        assert message.attempts == 1
        assert outbox.send_message.call(message.pk) == "skipped"
        # The server got it once (held, never confirmed); no second connection, no resend.
        assert len(smtp.held) == 1 and b"Your invitation" in smtp.held[0]
        assert smtp.received == []
        assert smtp.connections == 1
    assert OutboxMessage.objects.count() == 1


def test_a_webhook_whose_worker_was_killed_mid_post_is_sent_again_with_the_same_event_id(
    settings, contoso, alice
):
    settings.TASKS = DATABASE_TASKS
    with http_server() as (url, receiver):
        receiver.answers = ["stall"]
        endpoint, secret = webhooks.register(
            partner_id=contoso.pk,
            url=f"{url}/hooks",
            events=[Event.ORDER_REFUSED],
            description="",
            by=alice,
        )
        with transaction.atomic():
            webhooks.emit(
                event=Event.ORDER_REFUSED,
                key="refused:kill",
                partner_ids=[contoso.pk],
                resource=webhooks.Resource("Customer", "/v1/customers/x"),
            )
        env = _env()
        _kill_once_stalled(receiver.stalled, env)
        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENDING, 1)
        [attempt] = WebhookAttempt.objects.all()
        assert attempt.succeeded is None

        _next_worker(env)
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 2)
        first, second = receiver.received
        assert first.body == second.body == delivery.body.encode()
        assert (
            first.headers["MCA-Event-Id"]
            == second.headers["MCA-Event-Id"]
            == str(delivery.event_id)
        )
        assert json.loads(second.body)["EventId"] == str(delivery.event_id)
        for request in (first, second):
            timestamp, signature = (
                part.split("=", 1)[1] for part in request.headers["MCA-Signature"].split(",")
            )
            expected = hmac.new(
                secret.encode(), f"{timestamp}.".encode() + request.body, hashlib.sha256
            ).hexdigest()
            assert hmac.compare_digest(expected, signature)
        log = list(
            WebhookAttempt.objects.order_by("number").values_list(
                "number", "succeeded", "status_code", "error"
            )
        )
        assert log == [
            (1, None, None, webhooks.UNKNOWN_OUTCOME[: webhooks.EXCERPT_CHARS]),
            (2, True, 200, ""),
        ]
    assert WebhookDelivery.objects.count() == 1
