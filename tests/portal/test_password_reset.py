"""Password reset by email for agents and customer admins: Django's views, the outbox, the
same answer for unknown emails, limits per address and per email, single-use links."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditAction, AuditEntry, OutboxMessage, User
from portal.passwords import reset_tokens
from tests import factories as f
from tests.factories import PASSWORD
from tests.portal.agents_helpers import link_in_last_email, lock_out

pytestmark = pytest.mark.django_db

NEW = "Brand-new-Passw0rd-42"


def ask(client, email, url="/password-reset/"):
    return client.post(url, {"email": email})


def choose(client, link, password=NEW):
    form = client.get(link)
    assert form.status_code == 302, form.status_code
    return client.post(form.url, {"new_password1": password, "new_password2": password})


def test_an_agent_resets_the_password_by_email(client, sam):
    response = ask(client, "SAM@contoso.example")
    assert response.status_code == 302
    assert response.url == reverse("password:sent")
    assert mail.outbox[-1].to == [sam.email]
    link = link_in_last_email(sam.email)
    assert link.startswith("/password-reset/")
    kept = OutboxMessage.objects.get(recipient=sam.email)
    assert link.rsplit("/", 2)[-2] not in kept.body_text
    response = choose(client, link)
    assert response.status_code == 302 and response.url == reverse("password:complete")
    assert client.post("/login/", {"username": sam.email, "password": NEW}).status_code == 302
    # Used: the link no longer works.
    client.logout()
    assert client.get(link).status_code == 400
    actions = set(AuditEntry.objects.filter(target=sam).values_list("action", flat=True))
    assert {AuditAction.PASSWORD_RESET_REQUESTED, AuditAction.PASSWORD_RESET_DONE} <= actions


def test_an_unknown_email_gets_the_same_answer_and_no_email(client, sam):
    known = ask(client, sam.email)
    unknown = ask(client, "nobody@contoso.example")
    assert (unknown.status_code, unknown.url) == (known.status_code, known.url)
    assert len(mail.outbox) == 1
    entry = AuditEntry.objects.get(target_label="nobody@contoso.example")
    assert entry.partner_id is None


def test_an_invited_deactivated_or_operator_account_gets_no_email(client, contoso, operator):
    f.AgentFactory(partner=contoso, email="invited@contoso.example", password="!x")
    f.AgentFactory(partner=contoso, email="gone@contoso.example", is_active=False)
    for email in ("invited@contoso.example", "gone@contoso.example", operator.email):
        assert ask(client, email).status_code == 302
    assert not mail.outbox


def test_a_customer_admin_resets_at_the_admin_center(client, acme_admin):
    response = ask(client, acme_admin.email, url="/admin-center/password-reset/")
    assert response.url == reverse("admin_center_password:sent")
    link = link_in_last_email(acme_admin.email)
    assert link.startswith("/admin-center/password-reset/")
    # The agents' site doesn't take a customer admin's link.
    assert client.get(link.replace("/admin-center", "")).status_code == 400
    acme_admin.must_change_password = True
    acme_admin.save()
    response = choose(client, link)
    assert response.url == reverse("admin_center_password:complete")
    acme_admin.refresh_from_db()
    assert not acme_admin.must_change_password
    response = client.post("/admin-center/login/", {"username": acme_admin.email, "password": NEW})
    assert response.status_code == 302


def test_resets_are_limited_per_email(client, sam, settings):
    for _ in range(settings.PASSWORD_RESET_RATE_PER_EMAIL):
        assert ask(client, sam.email).status_code == 302
    response = ask(client, sam.email)
    assert response.status_code == 429
    assert "Too many password reset requests." in response.content.decode()
    # Asked within the same second, the link is the same one, sent once (the outbox's key).
    assert 1 <= len(mail.outbox) <= settings.PASSWORD_RESET_RATE_PER_EMAIL
    # Unknown addresses are limited alike: the answer tells nothing about the account.
    for _ in range(settings.PASSWORD_RESET_RATE_PER_EMAIL):
        ask(client, "ghost@contoso.example")
    assert ask(client, "ghost@contoso.example").status_code == 429
    with time_machine.travel(timezone.now() + timezone.timedelta(hours=1, minutes=1)):
        assert ask(client, sam.email).status_code == 302


def test_resets_are_limited_per_address(client, settings):
    settings.PASSWORD_RESET_RATE_PER_IP = 4
    for n in range(4):
        assert ask(client, f"x{n}@example.com").status_code == 302
    assert ask(client, "another@example.com").status_code == 429
    other = client.__class__(REMOTE_ADDR="10.0.0.9")
    assert ask(other, "another@example.com").status_code == 302


def test_bad_input_is_a_400(client, db):
    response = ask(client, "not an email")
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert not AuditEntry.objects.exists()


def test_a_tampered_or_expired_link_is_refused(client, sam, settings, monkeypatch):
    ask(client, sam.email)
    link = link_in_last_email(sam.email)
    assert client.get(link[:-3] + "xx/").status_code == 400
    assert client.get("/password-reset/Zm9v/abc-def/").status_code == 400
    # Django's token clock is naive local time: move it on directly.
    later = datetime.datetime.now() + datetime.timedelta(
        seconds=settings.PASSWORD_RESET_TIMEOUT + 60
    )
    monkeypatch.setattr(reset_tokens, "_now", lambda: later)
    response = client.get(link)
    assert response.status_code == 400
    assert "This link doesn" in response.content.decode()


def test_a_weak_new_password_is_refused(client, sam):
    ask(client, sam.email)
    response = choose(client, link_in_last_email(sam.email), password="short")
    assert response.status_code == 400
    assert "too short" in response.content.decode()
    assert User.objects.get(pk=sam.pk).check_password(PASSWORD)


def test_a_reset_lifts_a_lockout_and_the_lockout_page_says_for_how_long(client, sam, settings):
    lock_out(client, sam.email)
    response = client.post("/login/", {"username": sam.email, "password": PASSWORD})
    assert response.status_code == 429
    page = response.content.decode()
    assert "locked for 15 minutes" in page
    assert reverse("password:request") in page
    assert "admin agent of your partner can unlock" in page
    ask(client, sam.email)
    choose(client, link_in_last_email(sam.email))
    assert not AccessAttempt.objects.filter(username=sam.email).exists()
    assert client.post("/login/", {"username": sam.email, "password": NEW}).status_code == 302


def test_the_admin_center_lockout_page_points_to_its_own_reset(client, acme_admin):
    for _ in range(5):
        client.post("/admin-center/login/", {"username": acme_admin.email, "password": "nope-nope"})
    response = client.post(
        "/admin-center/login/", {"username": acme_admin.email, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert reverse("admin_center_password:request") in response.content.decode()


def test_sign_in_pages_link_to_the_reset(client, db):
    assert reverse("password:request") in client.get("/login/").content.decode()
    admin_center = client.get("/admin-center/login/").content.decode()
    assert reverse("admin_center_password:request") in admin_center


def test_the_reset_pages_are_in_czech(client, sam):
    client.cookies["django_language"] = "cs"
    response = client.get("/password-reset/", HTTP_ACCEPT_LANGUAGE="cs")
    assert "Obnovení hesla" in response.content.decode()
