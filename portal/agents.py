"""An admin agent manages the partner's agents: invite, change a role, deactivate and
reactivate, unlock after failed sign-ins, send a password reset. Each action is recorded in
the partner's audit log in the same transaction. The partner's row is locked while a role or
an agent's standing changes, so two admins can't each remove the other and leave none."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import passwords
from portal.audit import cool_off, record_audit
from portal.models import ApiToken, AuditAction, Partner, Role, User


class AgentActionError(Exception):
    """An action refused by a rule; the message says why, for the admin agent."""


class AgentStatus:
    ACTIVE = "active"
    INVITED = "invited"
    LOCKED_OUT = "locked_out"
    DEACTIVATED = "deactivated"


@dataclass(frozen=True)
class AgentRow:
    agent: User
    status: str
    active_tokens: int
    next_token_expiry: datetime.datetime | None


def agents_of(partner_id: int) -> QuerySet[User]:
    """The partner's agents with their active API tokens counted, in one query."""
    now = timezone.now()
    active = Q(api_tokens__revoked_at__isnull=True, api_tokens__expires_at__gt=now)
    return (
        User.objects.filter(partner_id=partner_id)
        .annotate(
            active_tokens=Count("api_tokens", filter=active),
            next_token_expiry=Min("api_tokens__expires_at", filter=active),
        )
        .order_by("email")
    )


def locked_out(emails: Iterable[str]) -> set[str]:
    """Which of these sign-in names django-axes holds locked out now (from any address)."""
    names = [email.lower() for email in emails]
    if not names:
        return set()
    attempts = AccessAttempt.objects.filter(
        username__in=names, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    )
    if settings.AXES_COOLOFF_TIME:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off())
    return set(attempts.values_list("username", flat=True))


def is_invited(agent: User) -> bool:
    """Invited and not yet joined: no password chosen, never signed in."""
    return not agent.has_usable_password() and agent.last_login is None


def status_of(agent: User, locked: set[str]) -> str:
    if not agent.is_active:
        return AgentStatus.DEACTIVATED
    if agent.email.lower() in locked:
        return AgentStatus.LOCKED_OUT
    if is_invited(agent):
        return AgentStatus.INVITED
    return AgentStatus.ACTIVE


def agent_rows(partner_id: int) -> list[AgentRow]:
    """The agents page's table: two queries, however many agents."""
    agents = list(agents_of(partner_id))
    locked = locked_out(agent.email for agent in agents)
    return [
        AgentRow(
            agent=agent,
            status=status_of(agent, locked),
            active_tokens=agent.active_tokens,  # type: ignore[attr-defined]
            next_token_expiry=agent.next_token_expiry,  # type: ignore[attr-defined]
        )
        for agent in agents
    ]


def _lock_partner(by: User, partner_id: int) -> None:
    """Lock the partner's row, then make sure ``by`` is still an active admin agent (another
    admin may have changed that while this request waited)."""
    Partner.objects.select_for_update().filter(pk=partner_id).exists()
    if not User.objects.filter(pk=by.pk, role=Role.ADMIN_AGENT, is_active=True).exists():
        raise AgentActionError(_("You are no longer an active admin agent."))


def _usable_admins(partner_id: int) -> QuerySet[User]:
    """Admin agents who can act: active, with a password of their own."""
    return User.objects.filter(
        partner_id=partner_id, role=Role.ADMIN_AGENT, is_active=True
    ).exclude(password__startswith="!")


def _would_leave_no_admin(agent: User) -> bool:
    if agent.role != Role.ADMIN_AGENT or not agent.is_active:
        return False
    assert agent.partner_id is not None
    return not _usable_admins(agent.partner_id).exclude(pk=agent.pk).exists()


def _same_partner(by: User, agent: User) -> None:
    # The views look agents up within the admin's partner; this is the service's own guard.
    if by.partner_id is None or by.partner_id != agent.partner_id:
        raise AgentActionError(_("This agent belongs to another partner."))


def invite_agent(
    *,
    by: User,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    request: HttpRequest | None = None,
) -> User:
    """Create the agent without a password and email a set-password link."""
    assert by.partner_id is not None
    email = User.objects.normalize_email(email).strip().lower()
    if role not in Role.values:
        raise AgentActionError(_("Choose a role."))
    with transaction.atomic():
        if User.objects.filter(email__iexact=email).exists():
            raise AgentActionError(
                _("%(email)s already has an account in the portal.") % {"email": email}
            )
        agent = User(
            email=email,
            first_name=first_name,
            last_name=last_name,
            partner_id=by.partner_id,
            role=role,
        )
        agent.set_unusable_password()
        agent.save()
        passwords.queue_invitation(agent, invited_by=by)
        record_audit(
            action=AuditAction.AGENT_INVITED,
            actor=by,
            target=agent,
            details=str(Role(role).label),
            request=request,
        )
    return agent


def resend_invitation(*, by: User, agent: User, request: HttpRequest | None = None) -> None:
    """A new set-password link; the earlier one stops working (its password hash is gone)."""
    _same_partner(by, agent)
    if not agent.is_active or not is_invited(agent):
        raise AgentActionError(
            _("Only an invited agent who hasn't chosen a password yet can be invited again.")
        )
    with transaction.atomic():
        agent.set_unusable_password()
        agent.save(update_fields=["password"])
        passwords.queue_invitation(agent, invited_by=by)
        record_audit(action=AuditAction.INVITATION_RESENT, actor=by, target=agent, request=request)


def change_role(*, by: User, agent: User, role: str, request: HttpRequest | None = None) -> None:
    _same_partner(by, agent)
    if role not in Role.values:
        raise AgentActionError(_("Choose a role."))
    if role == agent.role:
        raise AgentActionError(_("The agent has this role already."))
    assert agent.partner_id is not None
    with transaction.atomic():
        _lock_partner(by, agent.partner_id)
        agent.refresh_from_db(fields=["role", "is_active"])
        if role != Role.ADMIN_AGENT and _would_leave_no_admin(agent):
            raise AgentActionError(
                _(
                    "%(email)s is the partner's last active admin agent: make another agent "
                    "an admin first."
                )
                % {"email": agent.email}
            )
        before = Role(agent.role).label
        agent.role = role
        agent.save(update_fields=["role"])
        record_audit(
            action=AuditAction.ROLE_CHANGED,
            actor=by,
            target=agent,
            details=f"{before} → {Role(role).label}",
            request=request,
        )


def deactivate(*, by: User, agent: User, request: HttpRequest | None = None) -> int:
    """The agent can't sign in; its sessions end at its next request and its API tokens are
    revoked (returns how many)."""
    _same_partner(by, agent)
    assert agent.partner_id is not None
    with transaction.atomic():
        _lock_partner(by, agent.partner_id)
        agent.refresh_from_db(fields=["role", "is_active"])
        if not agent.is_active:
            raise AgentActionError(_("The agent is deactivated already."))
        if _would_leave_no_admin(agent):
            raise AgentActionError(
                _(
                    "%(email)s is the partner's last active admin agent: make another agent "
                    "an admin first."
                )
                % {"email": agent.email}
            )
        agent.is_active = False
        agent.save(update_fields=["is_active"])
        revoked = (
            ApiToken.objects.active()
            .filter(user=agent)
            .update(revoked_at=timezone.now(), revoked_by=by)
        )
        record_audit(action=AuditAction.AGENT_DEACTIVATED, actor=by, target=agent, request=request)
    return revoked


def reactivate(*, by: User, agent: User, request: HttpRequest | None = None) -> None:
    _same_partner(by, agent)
    with transaction.atomic():
        agent.refresh_from_db(fields=["is_active"])
        if agent.is_active:
            raise AgentActionError(_("The agent is active already."))
        agent.is_active = True
        agent.save(update_fields=["is_active"])
        record_audit(action=AuditAction.AGENT_REACTIVATED, actor=by, target=agent, request=request)


def unlock(*, by: User, agent: User, request: HttpRequest | None = None) -> None:
    """Forget the agent's failed sign-ins (django-axes), from every address."""
    _same_partner(by, agent)
    if agent.email.lower() not in locked_out([agent.email]):
        raise AgentActionError(_("The agent isn't locked out."))
    with transaction.atomic():
        axes_reset(username=agent.email.lower())
        record_audit(action=AuditAction.AGENT_UNLOCKED, actor=by, target=agent, request=request)


def send_password_reset(*, by: User, agent: User, request: HttpRequest | None = None) -> None:
    _same_partner(by, agent)
    if not agent.is_active:
        raise AgentActionError(_("Reactivate the agent first."))
    if is_invited(agent):
        raise AgentActionError(
            _("The agent hasn't chosen a password yet: send the invitation again instead.")
        )
    with transaction.atomic():
        passwords.queue_reset(agent)
        record_audit(
            action=AuditAction.PASSWORD_RESET_SENT, actor=by, target=agent, request=request
        )
