"""Who may do what: the one home of every role rule (R2, R3, R4).

Views, templates, forms and the API all ask these predicates; hiding a button
is never the check. Every customer lookup goes through ``customers_for`` /
``get_relationship_for`` so that another partner's customer is simply not found.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.http import Http404

from portal.models import PartnerKind, Role

if TYPE_CHECKING:
    from customers.models import Customer, Relationship
    from portal.models import Partner, User


def is_agent(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.partner_id)


def is_customer_admin(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.customer_id)


def _has_write_role(user: User) -> bool:
    return is_agent(user) and user.role in (Role.ADMIN_AGENT, Role.SALES_AGENT)


def visible_relationships(partner: Partner) -> QuerySet[Relationship]:
    """Relationships a partner may see: its own and, for a provider, its resellers'.

    A customer the provider also serves itself is seen once, through its own relationship.
    """
    from customers.models import Relationship

    if partner.kind == PartnerKind.INDIRECT_PROVIDER:
        own = Relationship.objects.filter(
            partner_id=partner.pk, customer_id=OuterRef("customer_id")
        )
        return Relationship.objects.filter(
            Q(partner_id=partner.pk) | (Q(partner__provider_id=partner.pk) & ~Exists(own))
        )
    return Relationship.objects.filter(partner_id=partner.pk)


def relationships_for(user: User) -> QuerySet[Relationship]:
    from customers.models import Relationship

    if not is_agent(user):
        return Relationship.objects.none()
    return visible_relationships(user.partner)


def customers_for(user: User) -> QuerySet[Customer]:
    """R4: the customers this agent may see; nobody else's."""
    from customers.models import Customer

    if not is_agent(user):
        return Customer.objects.none()
    return Customer.objects.filter(pk__in=relationships_for(user).values("customer_id"))


def get_relationship_for(user: User, tenant_id) -> Relationship:
    """The relationship through which this agent sees a customer, or 404.

    A partner's own relationship wins over a reseller's when both exist.
    """
    if not is_agent(user):
        raise Http404("No such customer.")
    own_first = Case(When(partner_id=user.partner_id, then=Value(0)), default=Value(1))
    relationship = (
        relationships_for(user)
        .filter(customer__tenant_id=tenant_id)
        .select_related("customer", "partner", "partner__provider")
        .order_by(own_first)
        .first()
    )
    if relationship is None:
        raise Http404("No such customer.")
    return relationship


def get_customer_for(user: User, tenant_id) -> Customer:
    return get_relationship_for(user, tenant_id).customer


def can_view_customer(user: User, customer: Customer) -> bool:
    return customers_for(user).filter(pk=customer.pk).exists()


def can_attest(user: User, customer: Customer | None = None) -> bool:
    """R2 + R3: admin and sales agents of a partner that may attest (never a reseller)."""
    if not (_has_write_role(user) and user.partner.may_attest):
        return False
    return customer is None or can_view_customer(user, customer)


def can_invite(user: User, customer: Customer | None = None) -> bool:
    """Admin and sales agents invite; an indirect reseller's agents may too."""
    if not _has_write_role(user):
        return False
    return customer is None or can_view_customer(user, customer)


def can_create_customer(user: User) -> bool:
    return _has_write_role(user)


def can_order(user: User, customer: Customer | None = None) -> bool:
    """Admin and sales agents order; a reseller's customers are ordered for by its provider."""
    if not (_has_write_role(user) and not user.partner.is_reseller):
        return False
    return customer is None or can_view_customer(user, customer)


def can_request_attestation(user: User) -> bool:
    """R3: a reseller's write agents ask their provider to attest instead."""
    return _has_write_role(user) and user.partner.is_reseller


def can_manage_agents(user: User) -> bool:
    return is_agent(user) and user.role == Role.ADMIN_AGENT
