"""The partner audit log: admin agents read it (paged, filtered) and export it as CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from portal.audit import record_audit
from portal.models import AuditAction, AuditEntry, Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_record_audit_takes_the_partner_from_the_actor_or_the_target(alice, lisa):
    assert record_audit(action=AuditAction.ROLE_CHANGED, actor=alice).partner_id == alice.partner_id
    assert (
        record_audit(action=AuditAction.SIGN_IN_FAILED, target=lisa).partner_id == lisa.partner_id
    )
    entry = record_audit(action=AuditAction.PASSWORD_RESET_REQUESTED, target_label="x@y.example")
    assert entry.partner_id is None


def test_the_audit_log_shows_only_the_partners_entries_newest_first(
    client, alice, sam, lisa, django_assert_num_queries
):
    record_audit(action=AuditAction.ROLE_CHANGED, actor=alice, target=sam, details="first")
    record_audit(action=AuditAction.AGENT_DEACTIVATED, actor=alice, target=sam, details="second")
    record_audit(action=AuditAction.AGENT_UNLOCKED, actor=lisa, target=lisa, details="litware's")
    client.force_login(alice)
    # Session, user, the agent filter's choices, the bounded count, the page.
    with django_assert_num_queries(5):
        response = client.get(reverse("agents:audit"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("second") < page.index("first")
    assert "litware&#x27;s" not in page


def test_the_audit_log_is_paged_at_a_fixed_cost(client, alice, sam, django_assert_num_queries):
    AuditEntry.objects.bulk_create(
        AuditEntry(partner_id=alice.partner_id, action=AuditAction.SIGNED_IN, target=sam)
        for _ in range(120)
    )
    client.force_login(alice)
    with django_assert_num_queries(5):
        response = client.get(reverse("agents:audit"), {"page": 2})
    assert "Page 2 of 3" in response.content.decode()


def test_the_audit_log_filters_by_action_and_by_agent(client, alice, sam, hana):
    record_audit(action=AuditAction.ROLE_CHANGED, actor=alice, target=sam, details="sam-role")
    record_audit(action=AuditAction.ROLE_CHANGED, actor=alice, target=hana, details="hana-role")
    record_audit(action=AuditAction.AGENT_UNLOCKED, actor=alice, target=sam, details="sam-unlock")
    client.force_login(alice)
    page = client.get(reverse("agents:audit"), {"action": "role_changed"}).content.decode()
    assert "sam-role" in page and "hana-role" in page and "sam-unlock" not in page
    page = client.get(reverse("agents:audit"), {"agent": sam.pk}).content.decode()
    assert "sam-role" in page and "sam-unlock" in page and "hana-role" not in page


def test_a_bad_filter_is_a_400_with_a_message(client, alice, lisa):
    client.force_login(alice)
    response = client.get(reverse("agents:audit"), {"action": "nope"})
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    # Another partner's agent is not a choice.
    assert client.get(reverse("agents:audit"), {"agent": lisa.pk}).status_code == 400
    assert client.get(reverse("agents:audit_export"), {"agent": lisa.pk}).status_code == 400
    assert client.get(reverse("agents:audit"), {"agent": "x"}).status_code == 400


def test_the_export_is_a_streamed_csv_of_the_filtered_entries_with_formulas_inert(
    client, alice, sam, contoso
):
    evil = f.AgentFactory(partner=contoso, role=Role.SALES_AGENT, email="=cmd@contoso.example")
    record_audit(action=AuditAction.ROLE_CHANGED, actor=alice, target=evil, details="+1+1")
    record_audit(action=AuditAction.AGENT_UNLOCKED, actor=alice, target=sam)
    client.force_login(alice)
    response = client.get(reverse("agents:audit_export"), {"action": "role_changed"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    rows = csv_rows(response)
    assert rows[0] == ["When (UTC)", "Action", "By", "Target", "Details", "IP address"]
    assert rows[1][1:5] == ["Role changed", alice.email, "'=cmd@contoso.example", "'+1+1"]
    assert len(rows) == 2


def test_the_export_walks_every_batch(client, alice, sam, monkeypatch):
    from portal import agent_views

    monkeypatch.setattr(agent_views, "EXPORT_BATCH", 7)
    AuditEntry.objects.bulk_create(
        AuditEntry(partner_id=alice.partner_id, action=AuditAction.SIGNED_IN, target=sam)
        for _ in range(30)
    )
    client.force_login(alice)
    rows = csv_rows(client.get(reverse("agents:audit_export")))
    # 30 plus alice's own sign-in, plus the header.
    assert len(rows) == 32


def test_token_creation_and_revocation_are_audited(client, alice, sam):
    client.force_login(sam)
    client.post(reverse("tokens:list"), {"name": "sync", "lifetime_days": 30})
    client.force_login(alice)
    from portal.models import ApiToken

    token = ApiToken.objects.get()
    client.post(reverse("tokens:revoke", args=[token.pk]))
    created = AuditEntry.objects.get(action=AuditAction.TOKEN_CREATED)
    revoked = AuditEntry.objects.get(action=AuditAction.TOKEN_REVOKED)
    assert (created.actor, created.target) == (sam, sam)
    assert (revoked.actor, revoked.target) == (alice, sam)
