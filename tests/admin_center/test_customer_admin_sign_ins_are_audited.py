"""A customer admin's sign-ins at the admin center, failed sign-ins (with the name tried) and
lockouts are audited as entries of no partner: operators read them in the Django admin, a
partner's audit log never shows them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.models import AuditAction, AuditEntry
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SIGN_IN = "/admin-center/login/"


def sign_in(client, username, password=PASSWORD):
    return client.post(SIGN_IN, {"username": username, "password": password})


def test_a_customer_admins_sign_in_is_recorded_with_the_customer(client, acme_admin):
    response = sign_in(client, acme_admin.email.upper(), PASSWORD)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=AuditAction.SIGNED_IN)
    assert entry.partner_id is None
    assert (entry.actor, entry.target) == (acme_admin, acme_admin)
    assert entry.target_label == acme_admin.email
    assert entry.details == "Acme s.r.o. (acme.onmicrosoft.com)"
    assert entry.ip_address == "127.0.0.1"


def test_a_failed_sign_in_records_the_name_tried(client, acme_admin):
    assert sign_in(client, acme_admin.email, "wrong-wrong-wrong").status_code == 200
    entry = AuditEntry.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert (entry.partner_id, entry.target, entry.actor) == (None, acme_admin, None)
    assert entry.target_label == acme_admin.email
    assert entry.details == "Acme s.r.o. (acme.onmicrosoft.com)"
    assert entry.ip_address == "127.0.0.1"


def test_a_name_nobody_has_is_recorded_as_typed_at_the_admin_center(client, acme_admin):
    sign_in(client, "Nobody@Acme.example", "wrong-wrong-wrong")
    entry = AuditEntry.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert (entry.partner_id, entry.target, entry.details) == (None, None, "")
    assert entry.target_label == "nobody@acme.example"
    # The partner portal's sign-in still records only names of agents and customer admins.
    client.post("/login/", {"username": "ghost@acme.example", "password": "x"})
    assert AuditEntry.objects.count() == 1


def test_an_agents_failed_sign_in_at_the_admin_center_stays_in_its_partners_log(client, sam):
    sign_in(client, sam.email, "wrong-wrong-wrong")
    entry = AuditEntry.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert (entry.partner_id, entry.target) == (sam.partner_id, sam)


def test_a_lockout_is_recorded_once(client, acme_admin):
    for _ in range(7):
        sign_in(client, acme_admin.email, "wrong-wrong-wrong")
    assert sign_in(client, acme_admin.email).status_code == 429
    lockouts = AuditEntry.objects.filter(action=AuditAction.LOCKED_OUT)
    assert lockouts.count() == 1
    entry = lockouts.get()
    assert (entry.partner_id, entry.target) == (None, acme_admin)
    assert entry.details == "Acme s.r.o. (acme.onmicrosoft.com)"
    # Refused while locked out: not a new failure each time.
    failed = AuditEntry.objects.filter(action=AuditAction.SIGN_IN_FAILED).count()
    sign_in(client, acme_admin.email, "wrong-wrong-wrong")
    assert AuditEntry.objects.filter(action=AuditAction.SIGN_IN_FAILED).count() == failed


def test_the_partners_audit_log_does_not_show_them(client, acme_admin, alice):
    sign_in(client, acme_admin.email)
    sign_in(client, acme_admin.email, "wrong-wrong-wrong")
    client.logout()
    client.force_login(alice)
    page = client.get(reverse("agents:audit")).content.decode()
    assert acme_admin.email not in page
    export = client.get(reverse("agents:audit_export"))
    assert acme_admin.email not in b"".join(export.streaming_content).decode()


def test_operators_filter_customer_admins_entries_in_the_admin(
    client, acme_admin, sam, operator, django_assert_max_num_queries
):
    sign_in(client, acme_admin.email)
    client.logout()
    sign_in(client, sam.email, "wrong-wrong-wrong")
    client.post("/password-reset/", {"email": "ghost@example.com"})
    client.force_login(operator)
    url = reverse("admin:portal_auditentry_changelist")
    with django_assert_max_num_queries(12):
        page = client.get(url, {"whose": "customer_admins"}).content.decode()
    assert acme_admin.email in page and "Acme s.r.o. (acme.onmicrosoft.com)" in page
    assert sam.email not in page and "ghost@example.com" not in page
    page = client.get(url, {"whose": "partners"}).content.decode()
    assert sam.email in page and acme_admin.email not in page
    page = client.get(url, {"whose": "resets"}).content.decode()
    assert "ghost@example.com" in page and acme_admin.email not in page
    # Searching by the customer finds its admins' entries.
    page = client.get(url, {"q": "acme.onmicrosoft.com"}).content.decode()
    assert "Acme s.r.o. (acme.onmicrosoft.com)" in page and sam.email not in page
