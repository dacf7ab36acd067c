"""Set-password links by email: an agent's invitation and a password reset (agents and
customer admins), both Django's signed tokens — single use (the token covers the password
hash and the last sign-in, which the link changes) and expiring — sent through the outbox.

Reset requests are limited per address and per email (counted from the audit log, so every
web process shares the count); an unknown email is answered exactly as a known one, and costs
the request the same work: the request only records what was asked (``request_reset``: an
audit entry and a task naming it), and the task (``send_reset``) finds the account and queues
its email, or finds none and does nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.translation import gettext
from django_tasks import task

from portal import background, outbox
from portal.audit import record_audit
from portal.hashing import hash_token
from portal.models import AuditAction, AuditEntry, OutboxMessage, User

MASK = "…"


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """An invited agent's set-password link: Django's reset token under a salt of its own (a
    reset link can't stand in for it, nor it for one) and a lifetime of its own."""

    key_salt = "portal.passwords.InvitationTokenGenerator"

    @property
    def timeout(self) -> int:
        return int(settings.AGENT_INVITATION_DAYS) * 24 * 60 * 60

    def check_token(self, user: Any, token: Any) -> bool:
        if not (user and token) or not isinstance(token, str):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token):
                break
        else:
            return False
        return self._num_seconds(self._now()) - ts <= self.timeout


invitation_tokens = InvitationTokenGenerator()
reset_tokens = default_token_generator


def language_of(user: User) -> str:
    """The language of an email nobody asked for in a language: Czech for a partner in
    Czechia (or a customer there), else English."""
    if user.partner_id and user.partner is not None:
        return "cs" if user.partner.country == "CZ" else "en"
    if user.customer_id and user.customer is not None:
        return "cs" if user.customer.language == "cs" else "en"
    return "en"


def _site(user: User) -> str:
    """Where the person signs in: customer admins at the admin center, agents at the portal."""
    return "admin_center" if user.customer_id else "portal"


def _link(name: str, user: User, token: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return settings.PORTAL_BASE_URL + reverse(name, args=[uid, token])


def queue_invitation(user: User, *, invited_by: User) -> None:
    """The invited agent's email with the set-password link (in the caller's transaction)."""
    token = invitation_tokens.make_token(user)
    link = _link("password:set", user, token)
    language = language_of(user)
    with translation.override(language):
        context = {
            "user": user,
            "partner": user.partner,
            "invited_by": invited_by,
            "link": link,
            "expires_on": timezone.localdate()
            + datetime.timedelta(days=settings.AGENT_INVITATION_DAYS),
        }
        subject = render_to_string("portal/email/agent_invitation_subject.txt", context).strip()
        body = render_to_string("portal/email/agent_invitation_body.txt", context)
    _queue(user, "agent-invitation", token, link, subject, body, language)


def queue_reset(user: User, *, language: str | None = None, dedupe_key: str | None = None) -> None:
    """A password reset email to ``user`` (in the caller's transaction); ``dedupe_key`` names
    the reason (a request answered), else the link does."""
    token = reset_tokens.make_token(user)
    site = _site(user)
    name = "admin_center_password:confirm" if site == "admin_center" else "password:confirm"
    link = _link(name, user, token)
    language = language or language_of(user)
    with translation.override(language):
        minutes = settings.PASSWORD_RESET_TIMEOUT // 60
        context = {"user": user, "link": link, "minutes": minutes, "site": site}
        subject = render_to_string("portal/email/password_reset_subject.txt", context).strip()
        body = render_to_string("portal/email/password_reset_body.txt", context)
    _queue(user, "password-reset", token, link, subject, body, language, dedupe_key)


def _queue(
    user: User,
    kind: str,
    token: str,
    link: str,
    subject: str,
    body: str,
    language: str,
    dedupe_key: str | None = None,
) -> None:
    outbox.queue(
        # One message per link (the token differs each time), or per reason given.
        dedupe_key=dedupe_key or f"{kind}:{user.pk}:{hash_token(token)[:32]}",
        to=user.email,
        subject=subject,
        body_text=body,
        # The link is a secret: once sent, the kept copy doesn't hold it (R7).
        kept_text=body.replace(link, link.rsplit("/", 2)[0] + "/" + MASK + "/"),
        language=language,
        partner_id=user.partner_id,
    )


def reset_requests_limited(*, ip_address: str | None, email: str) -> bool:
    """True when this address or this email has asked for resets too often just now."""
    now = timezone.now()
    window = now - datetime.timedelta(seconds=settings.PASSWORD_RESET_RATE_WINDOW)
    # The requests as asked (no account named: see request_reset), not send_reset's entries.
    asked = AuditEntry.objects.filter(
        action=AuditAction.PASSWORD_RESET_REQUESTED, target__isnull=True, created_at__gte=window
    )
    if ip_address and (
        asked.filter(ip_address=ip_address)[: settings.PASSWORD_RESET_RATE_PER_IP].count()
        >= settings.PASSWORD_RESET_RATE_PER_IP
    ):
        return True
    return (
        asked.filter(target_label=email)[: settings.PASSWORD_RESET_RATE_PER_EMAIL].count()
        >= settings.PASSWORD_RESET_RATE_PER_EMAIL
    )


def _resettable() -> QuerySet[User]:
    """Who may get a reset link: an active agent or customer admin with a password of their
    own (an invited agent follows the invitation; operators reset through an operator)."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(partner__isnull=False) | Q(customer__isnull=False))
        .exclude(password__startswith="!")
    )


def reset_candidates(email: str) -> QuerySet[User]:
    """Who gets a reset link at ``email`` (sign-in ignores the case of an address)."""
    return _resettable().filter(email__iexact=email)


# The outbox key of the email answering request ``entry`` for ``user``: one email per request
# and account, however often its task runs.
REQUEST_KEY = "password-reset:request-{entry}:{user}"
# How long a request whose task was lost is still worth answering.
RECOVER_FOR = datetime.timedelta(hours=1)


def request_reset(email: str, *, language: str, request: HttpRequest) -> AuditEntry:
    """Record a reset request for ``email`` and enqueue the task that answers it, in the
    caller's transaction. The same two writes whether or not an account has the address, so
    the request's time tells nothing about it (the entry also counts toward the limits)."""
    entry = record_audit(
        action=AuditAction.PASSWORD_RESET_REQUESTED, target_label=email, request=request
    )
    background.enqueue(send_reset, entry.pk, language)
    return entry


@task(queue_name="email")
def send_reset(entry_id: int, language: str | None = None) -> int:
    """Answer reset request ``entry_id``: a reset email to each account at its address (none
    for an address nobody has), each also in the account's partner's audit log. Returns how
    many emails were queued; a second run queues none."""
    entry = (
        AuditEntry.objects.filter(
            pk=entry_id, action=AuditAction.PASSWORD_RESET_REQUESTED, target__isnull=True
        )
        .only("pk", "target_label", "ip_address")
        .first()
    )
    if entry is None:
        return 0
    queued = 0
    with transaction.atomic():
        for user in reset_candidates(entry.target_label).select_related("partner", "customer"):
            key = REQUEST_KEY.format(entry=entry.pk, user=user.pk)
            if OutboxMessage.objects.filter(dedupe_key=key).exists():
                continue
            queue_reset(user, language=language or None, dedupe_key=key)
            with translation.override(language_of(user)):
                details = gettext("Reset link emailed")
            # In the account's partner's log too (the request's entry names no account).
            record_audit(
                action=AuditAction.PASSWORD_RESET_REQUESTED,
                target=user,
                target_label=entry.target_label,
                details=details,
                ip_address=entry.ip_address,
            )
            queued += 1
    return queued


def recover_resets() -> int:
    """Enqueue again the requests of the last hour whose task was lost: an account has the
    address and no email answers the request yet (a request for an address nobody has is
    never enqueued again: there is nothing to send)."""
    now = timezone.now()
    answered = OutboxMessage.objects.filter(
        dedupe_key__startswith=Concat(
            Value("password-reset:request-"),
            Cast(OuterRef("pk"), output_field=CharField()),
            Value(":"),
        )
    )
    candidates = _resettable().filter(email__iexact=OuterRef("target_label"))
    lost = (
        AuditEntry.objects.filter(
            action=AuditAction.PASSWORD_RESET_REQUESTED,
            target__isnull=True,
            created_at__gte=now - RECOVER_FOR,
            created_at__lt=now - outbox.LOST_AFTER,
        )
        .filter(Exists(candidates))
        .exclude(Exists(answered))
        .values_list("pk", flat=True)
    )
    enqueued = 0
    for pk in lost.iterator():
        with transaction.atomic():
            background.enqueue(send_reset, pk)
        enqueued += 1
    return enqueued


background.register_recoverer(recover_resets)
