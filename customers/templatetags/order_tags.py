"""The orders panel of a customer's Account info page, in a bounded number of queries."""

from __future__ import annotations

from django import template

from customers.orders import order_gate, visible_orders, with_totals
from portal import permissions

register = template.Library()

RECENT_ORDERS = 5


@register.inclusion_tag("customers/orders/_panel.html", takes_context=True)
def order_panel(context) -> dict:
    user = context["user"]
    customer = context["customer"]
    relationship = context["relationship"]
    orders = list(
        visible_orders(user)
        .filter(customer=customer)
        .select_related("partner", "placed_by")[: RECENT_ORDERS + 1]
    )
    return {
        "user": user,
        "customer": customer,
        "relationship": relationship,
        "orders": with_totals(orders[:RECENT_ORDERS]),
        "more_orders": len(orders) > RECENT_ORDERS,
        "decision": order_gate(customer, relationship.partner),
        "can_order": permissions.can_order(user),
        "is_reseller": user.partner.is_reseller,
        "provider": user.partner.provider if user.partner.is_reseller else None,
    }
