"""Asking for a password reset does the same work for an address with an account as for one
without (no enumeration by timing): the request records what was asked and enqueues a task;
the task finds the account and sends its email, once, or finds none and sends nothing."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal import passwords
from portal.models import AuditAction, AuditEntry, OutboxMessage
from tests.portal.outbox_helpers import DATABASE_TASKS, run_worker

SITES = {
    "agent": ("sam", "/password-reset/", "nobody@contoso.example"),
    "customer admin": ("acme_admin", "/admin-center/password-reset/", "nobody@acme.example"),
}


def shape(sql: str) -> str:
    """A query without its values: literals, numbers and savepoint names differ per request."""
    sql = re.sub(r'"s\d+_x\d+"', '"savepoint"', sql)
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    return re.sub(r"\b\d+(\.\d+)?\b", "?", sql)


def asked(client, url, email):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"email": email})
    assert response.status_code == 302
    return response, [shape(query["sql"]) for query in queries.captured_queries]


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("who", SITES)
def test_a_known_and_an_unknown_address_cost_the_request_the_same_queries(
    request, client, database_tasks, who
):
    persona, url, unknown = SITES[who]
    user = request.getfixturevalue(persona)
    known_response, known = asked(client, url, user.email)
    unknown_response, other = asked(client, url, unknown)
    assert len(known) == len(other)
    assert known == other
    assert (known_response.url, known_response.content) == (
        unknown_response.url,
        unknown_response.content,
    )
    # Nothing is sent, nor even looked up, until the task runs.
    assert not mail.outbox and not OutboxMessage.objects.exists()
    assert DBTaskResult.objects.count() == 2

    run_worker()
    [message] = mail.outbox
    assert message.to == [user.email]
    assert url in message.body
    # The request's entry names no account; the task's names it, in its partner's log.
    requests = AuditEntry.objects.filter(action=AuditAction.PASSWORD_RESET_REQUESTED)
    assert requests.filter(target__isnull=True).count() == 2
    answered = requests.get(target=user)
    assert answered.partner_id == user.partner_id
    assert answered.ip_address == "127.0.0.1"
    # Written in the partner's (the customer's) language, as the log's reader reads it.
    assert answered.details == "Odkaz pro obnovení hesla odeslán e-mailem"

    # A task run again sends nothing more.
    for entry in requests.filter(target__isnull=True):
        assert passwords.send_reset.call(entry.pk) == 0
    run_worker()
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_request_whose_task_was_lost_is_answered_by_the_recoverer(
    client, sam, database_tasks
):
    client.post("/password-reset/", {"email": sam.email})
    client.post("/password-reset/", {"email": "nobody@contoso.example"})
    DBTaskResult.objects.all().delete()  # lost between commit and worker
    assert passwords.recover_resets() == 0  # not overdue yet
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11)):
        # Only the request an account can be answered for is enqueued again.
        assert passwords.recover_resets() == 1
        run_worker()
        assert [m.to for m in mail.outbox] == [[sam.email]]
        # Answered: a later pass leaves it alone.
        assert passwords.recover_resets() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
        assert passwords.recover_resets() == 0


@pytest.mark.django_db
def test_the_limits_count_requests_not_the_tasks_answers(client, sam, settings):
    for _ in range(settings.PASSWORD_RESET_RATE_PER_EMAIL):
        assert client.post("/password-reset/", {"email": sam.email}).status_code == 302
    # Each answered (the immediate backend runs the task at once): one email per request.
    assert len(mail.outbox) == settings.PASSWORD_RESET_RATE_PER_EMAIL
    assert client.post("/password-reset/", {"email": sam.email}).status_code == 429


@pytest.mark.django_db
def test_the_task_writes_the_email_in_the_language_asked_and_the_entry_in_the_partners(
    client, sam, contoso
):
    assert contoso.country == "CZ"
    client.post("/password-reset/", {"email": sam.email}, HTTP_ACCEPT_LANGUAGE="en")
    assert mail.outbox[-1].extra_headers["Content-Language"] == "en"
    entry = AuditEntry.objects.get(target=sam)
    assert entry.details == "Odkaz pro obnovení hesla odeslán e-mailem"
