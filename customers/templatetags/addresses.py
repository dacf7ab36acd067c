"""``{% postal_address customer %}``: a customer's address, a line each, in its country's
order (customers.addresses), wherever a page shows one."""

from __future__ import annotations

from django import template

from customers.addresses import Addressed, address_lines

register = template.Library()


@register.inclusion_tag("customers/_postal_address.html")
def postal_address(customer: Addressed) -> dict:
    return {"lines": address_lines(customer)}
