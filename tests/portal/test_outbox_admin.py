"""Operators watch the outbox in the admin: read-only, filtered by status, no secrets shown."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.models import OutboxMessage, OutboxStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def messages():
    failed = OutboxMessage.objects.create(
        dedupe_key="a", recipient="failed@acme.example", subject="S", body_text="x",
        status=OutboxStatus.FAILED, last_error="550 No such user",
    )  # fmt: skip
    pending = OutboxMessage.objects.create(
        dedupe_key="b", recipient="pending@acme.example", subject="S",
        body_text="link /t/SECRET/", kept_text="link /t/…/",
    )  # fmt: skip
    return failed, pending


def test_the_operator_lists_and_filters_the_outbox_by_status(client, operator, messages):
    client.force_login(operator)
    changelist = reverse("admin:portal_outboxmessage_changelist")
    page = client.get(changelist, {"status__exact": "failed"}).text
    assert "failed@acme.example" in page
    assert "pending@acme.example" not in page


def test_the_operator_sees_a_message_without_its_secrets(client, operator, messages):
    client.force_login(operator)
    _failed, pending = messages
    page = client.get(reverse("admin:portal_outboxmessage_change", args=[pending.pk])).text
    assert "link /t/…/" in page
    assert "SECRET" not in page


def test_the_operator_cannot_change_add_or_delete_messages(client, operator, messages):
    client.force_login(operator)
    failed, _pending = messages
    change = reverse("admin:portal_outboxmessage_change", args=[failed.pk])
    assert client.post(change, {"status": "pending"}).status_code == 403
    assert client.get(reverse("admin:portal_outboxmessage_add")).status_code == 403
    delete = reverse("admin:portal_outboxmessage_delete", args=[failed.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    failed.refresh_from_db()
    assert failed.status == OutboxStatus.FAILED


def test_an_agent_cannot_see_the_outbox(client, sam, messages):
    client.force_login(sam)
    response = client.get(reverse("admin:portal_outboxmessage_changelist"))
    assert response.status_code == 302
