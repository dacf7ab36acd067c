"""Who may do what: the one home of every role rule (R2, R3).

Views, templates, forms and the API all ask these predicates; hiding a button
is never the check. They judge the agent's role and partner; which customers an
agent may see and act on (R4) is the scoped lookup's job, in ``customers.selectors``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.models import WRITE_ROLES, Role

if TYPE_CHECKING:
    from portal.models import Partner, User


def is_agent(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.partner_id)


def is_customer_admin(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.customer_id)


def _has_write_role(user: User) -> bool:
    """R2: an admin or sales agent (judged without loading the partner)."""
    return is_agent(user) and user.role in WRITE_ROLES


def _write_partner(user: User) -> Partner | None:
    """The partner of an admin or sales agent, else None."""
    return user.partner if _has_write_role(user) else None


def can_attest(user: User) -> bool:
    """R2 + R3: admin and sales agents of a partner that may attest (never a reseller)."""
    partner = _write_partner(user)
    return partner is not None and partner.may_attest


def can_invite(user: User) -> bool:
    """Admin and sales agents invite; an indirect reseller's agents may too."""
    return _has_write_role(user)


def can_create_customer(user: User) -> bool:
    return _has_write_role(user)


def can_order(user: User) -> bool:
    """Admin and sales agents order; a reseller's customers are ordered for by its provider."""
    partner = _write_partner(user)
    return partner is not None and not partner.is_reseller


def can_request_attestation(user: User) -> bool:
    """R3: a reseller's write agents ask their provider to attest instead."""
    partner = _write_partner(user)
    return partner is not None and partner.is_reseller


def sees_bulk_attestation(user: User) -> bool:
    """Bulk attestation's pages: those who attest, and a reseller's write agents, who are told
    that their provider attests (R3)."""
    return can_attest(user) or can_request_attestation(user)


def can_manage_agents(user: User) -> bool:
    return is_agent(user) and user.role == Role.ADMIN_AGENT


def can_edit_customer(user: User) -> bool:
    """Admin and sales agents correct a customer's details (any partner kind: editing records
    no acceptance, so R3 doesn't apply)."""
    return _has_write_role(user)


def can_manage_webhooks(user: User) -> bool:
    """Webhook endpoints (a partner's integrations) are its admin agents' to manage."""
    return is_agent(user) and user.role == Role.ADMIN_AGENT


def can_edit_partner_profile(user: User) -> bool:
    """The partner's own contact details (what its customers read) are its admin agents' to
    keep; every other role neither sees nor changes them there."""
    return is_agent(user) and user.role == Role.ADMIN_AGENT


def can_manage_signing_embedding(user: User) -> bool:
    """Which sites may frame the partner's signing page is its admin agents' to set; a reseller
    sends no signing links (R3), so it has no signing page to embed."""
    partner = user.partner if can_manage_agents(user) else None
    return partner is not None and partner.may_attest
