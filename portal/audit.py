"""The partner audit log: ``record_audit`` writes an entry; the receivers below record sign-ins,
failed sign-ins and lockouts of agents (in their partner's log) and of customer admins at the
admin center (entries of no partner: operators read them in the Django admin). Any app may call
``record_audit`` (it sits in portal, below them all)."""

from __future__ import annotations

import datetime
from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models import Q
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from portal.models import AuditAction, AuditEntry, Partner, User
from portal.net import client_ip, sign_in_name


def record_audit(
    *,
    action: AuditAction | str,
    actor: User | None = None,
    target: User | None = None,
    target_label: str = "",
    details: str = "",
    partner: Partner | int | None = None,
    request: HttpRequest | None = None,
    ip_address: str | None = None,
) -> AuditEntry:
    """Write one audit entry in the caller's transaction. The partner is the one given, else
    the actor's, else the target's; the address is the request's (through trusted proxies),
    else the one given (a background job acting on a request it recorded)."""
    if partner is None:
        partner = (actor.partner_id if actor else None) or (target.partner_id if target else None)
    partner_id = partner.pk if isinstance(partner, Partner) else partner
    return AuditEntry.objects.create(
        partner_id=partner_id,
        action=action,
        actor=actor,
        actor_email=actor.email if actor else "",
        target=target,
        target_label=(target_label or (target.email if target else ""))[:254],
        details=details[:500],
        ip_address=client_ip(request) if request is not None else ip_address,
    )


def cool_off() -> datetime.timedelta:
    """How long django-axes keeps an account locked (AXES_COOLOFF_TIME is in hours)."""
    return datetime.timedelta(hours=float(settings.AXES_COOLOFF_TIME or 0))


# The admin center's URL namespace: a failed sign-in there is recorded whoever's name was tried.
ADMIN_CENTER = "admin_center"


def _person_named(name: Any) -> User | None:
    """The agent or customer admin who signs in as ``name`` (sign-in ignores case)."""
    if not isinstance(name, str) or not name:
        return None
    return (
        User.objects.filter(email__iexact=name.strip())
        .filter(Q(partner__isnull=False) | Q(customer__isnull=False))
        .select_related("customer")
        .only("pk", "email", "partner_id", "customer__company_name", "customer__domain")
        .first()
    )


def customer_details(user: User | None) -> str:
    """Which customer a customer admin's entry is about: its entry has no partner, so the
    customer is named here (an operator reads it, and searches by it)."""
    customer = user.customer if user is not None and user.customer_id else None
    return f"{customer.company_name} ({customer.domain})" if customer is not None else ""


def _at_admin_center(request: HttpRequest | None) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.namespace == ADMIN_CENTER


@receiver(user_logged_in, dispatch_uid="portal.audit.signed_in")
def _signed_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if getattr(user, "partner_id", None):
        record_audit(action=AuditAction.SIGNED_IN, actor=user, target=user, request=request)
    elif getattr(user, "customer_id", None):
        record_audit(
            action=AuditAction.SIGNED_IN,
            actor=user,
            target=user,
            details=customer_details(user),
            request=request,
        )


@receiver(user_login_failed, dispatch_uid="portal.audit.sign_in_failed")
def _sign_in_failed(
    sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Refused while locked out: the lockout is recorded once (below), not every try.
    if request is None or getattr(request, "axes_locked_out", False):
        return
    name = sign_in_name(request, credentials)
    person = _person_named(name)
    if person is not None and person.partner_id:
        record_audit(action=AuditAction.SIGN_IN_FAILED, target=person, request=request)
    elif person is not None or _at_admin_center(request):
        # A customer admin, or a name nobody has tried at the admin center: what was typed
        # is what an operator needs to see (a guess, a typo, an address of the wrong site).
        record_audit(
            action=AuditAction.SIGN_IN_FAILED,
            target=person,
            target_label=name if isinstance(name, str) else "",
            details=customer_details(person),
            request=request,
        )


@receiver(user_locked_out, dispatch_uid="portal.audit.locked_out")
def _locked_out(
    sender: Any, request: HttpRequest | None = None, username: Any = None, **kwargs: Any
) -> None:
    person = _person_named(username)
    if person is None:
        return
    since = timezone.now() - cool_off()
    already = AuditEntry.objects.filter(
        action=AuditAction.LOCKED_OUT,
        target=person,
        created_at__gte=since,
    ).exists()
    if not already:
        record_audit(
            action=AuditAction.LOCKED_OUT,
            target=person,
            details=customer_details(person),
            request=request,
        )
