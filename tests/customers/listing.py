"""Helpers for the customers list's tests: make a partner's customer, read the rows shown."""

from __future__ import annotations

import re

from django.urls import reverse

from tests import factories as f

URL = reverse("customers:list")
# A row's first cell: its box to tick (for agents with bulk actions), then the name's link.
ROW = re.compile(
    r"<tr>\s*<td>\s*(?:<input [^>]*>\s*)?<a href=\"/customers/[0-9a-f-]+/\">([^<]*)</a>", re.S
)


def customer_of(partner, company_name: str, **fields):
    customer = f.CustomerFactory(company_name=company_name, **fields)
    f.RelationshipFactory(partner=partner, customer=customer)
    return customer


def names(response) -> list[str]:
    """The company names the page lists, in its order."""
    assert response.status_code == 200, response.status_code
    return [
        name.replace("&#x27;", "'").replace("&amp;", "&") for name in ROW.findall(response.text)
    ]
