"""Scoped reads of customers (R4): an agent sees its partner's customers and nobody else's.

Every customer lookup in views, tags and the API goes through ``get_relationship_for``,
so another partner's customer is simply not found (404).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.http import Http404

from customers.models import Customer, Relationship, RelationshipQuerySet
from portal.models import PartnerKind
from portal.permissions import is_agent

if TYPE_CHECKING:
    from portal.models import Partner, User


def visible_relationships(partner: Partner) -> RelationshipQuerySet:
    """Relationships a partner may see: its own and, for a provider, its resellers'.

    A customer the provider also serves itself is seen once, through its own relationship.
    """
    if partner.kind == PartnerKind.INDIRECT_PROVIDER:
        own = Relationship.objects.filter(
            partner_id=partner.pk, customer_id=OuterRef("customer_id")
        )
        return Relationship.objects.filter(
            Q(partner_id=partner.pk) | (Q(partner__provider_id=partner.pk) & ~Exists(own))
        )
    return Relationship.objects.filter(partner_id=partner.pk)


def relationships_for(user: User) -> RelationshipQuerySet:
    if not is_agent(user) or user.partner is None:
        return Relationship.objects.none()
    return visible_relationships(user.partner)


def customers_for(user: User) -> QuerySet[Customer]:
    """R4: the customers this agent may see; nobody else's."""
    if not is_agent(user):
        return Customer.objects.none()
    return Customer.objects.filter(pk__in=relationships_for(user).values("customer_id"))


def get_relationship_for(user: User, tenant_id: UUID | str) -> Relationship:
    """The relationship through which this agent sees a customer, or 404.

    A partner's own relationship wins over a reseller's when both exist. The answer says
    whether this agent may act on it in its own name (``is_own``): a provider sees its
    resellers' customers, but only the partner that sent an invitation acts on it.
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
    relationship.is_own = relationship.partner_id == user.partner_id
    return relationship


def get_customer_for(user: User, tenant_id: UUID | str) -> Customer:
    return get_relationship_for(user, tenant_id).customer


def can_view_customer(user: User, customer: Customer) -> bool:
    return customers_for(user).filter(pk=customer.pk).exists()


