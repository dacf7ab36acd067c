"""Scoped reads of offers and orders: what a customer may order, the orders an agent may see
(R4), their totals, and what is due for renewal."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import TypeVar

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum

from customers.models import Customer
from orders.models import Offer, Order, OrderLine
from portal.models import PartnerKind, User

# with_totals hands back what it was given (a list, a page of a queryset).
_Orders = TypeVar("_Orders", bound=Iterable[Order])


def orderable_offers(customer: Customer) -> QuerySet[Offer]:
    """Active offers sold in the customer's country, in catalog order."""
    return Offer.objects.sold_in(customer.country.code).filter(is_active=True)


def order_totals(lines: Iterable[tuple[str, Decimal, int]]) -> list[tuple[str, Decimal]]:
    """Sums per currency of (currency, unit price, quantity) lines: currencies never mix."""
    totals: dict[str, Decimal] = {}
    for currency, unit_price, quantity in lines:
        totals[currency] = totals.get(currency, Decimal("0")) + unit_price * quantity
    return sorted(totals.items())


def due_for_renewal(today: datetime.date) -> QuerySet[Order]:
    return Order.objects.filter(auto_renew=True, renewal_due__lte=today).order_by("pk")


def visible_orders(user: User) -> QuerySet[Order]:
    """R4 for orders: the partner's own and, for a provider, its resellers'."""
    partner = user.partner if getattr(user, "partner_id", None) else None
    if partner is None:
        return Order.objects.none()
    if partner.kind == PartnerKind.INDIRECT_PROVIDER:
        return Order.objects.filter(Q(partner_id=partner.pk) | Q(partner__provider_id=partner.pk))
    return Order.objects.filter(partner_id=partner.pk)


def with_totals(orders: _Orders) -> _Orders:
    """Give each order ``totals`` (per currency) and ``line_count`` in one query.

    ``orders`` is iterated twice: a list, or a queryset (page) that caches its rows."""
    by_order: dict[int, list[tuple[str, Decimal]]] = {order.pk: [] for order in orders}
    counts: dict[int, int] = dict.fromkeys(by_order, 0)
    amount = ExpressionWrapper(
        F("quantity") * F("unit_price"), output_field=DecimalField(max_digits=16, decimal_places=2)
    )
    rows = (
        OrderLine.objects.filter(order_id__in=by_order)
        .values("order_id", "currency")
        .annotate(total=Sum(amount), lines=Count("id"))
        .order_by("order_id", "currency")
    )
    if by_order:
        for row in rows:
            by_order[row["order_id"]].append((row["currency"], row["total"]))
            counts[row["order_id"]] += row["lines"]
    for order in orders:
        # Attributes for the templates, not columns.
        order.totals = by_order[order.pk]  # type: ignore[attr-defined]
        order.line_count = counts[order.pk]  # type: ignore[attr-defined]
    return orders
