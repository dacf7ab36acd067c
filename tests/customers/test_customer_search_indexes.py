"""The customers search uses indexes on PostgreSQL: prefix, domain and tenant ID."""

import pytest
from django.conf import settings
from django.db import connection

from customers import selectors
from customers.forms import CustomerSearchForm

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: the pattern operator-class indexes exist only there",
    ),
]


def plan_for(user, query: str) -> str:
    form = CustomerSearchForm({"q": query})
    relationships = form.filter(
        selectors.relationships_for(user).select_related("customer", "partner")
    )
    with connection.cursor() as cursor:
        # Tiny test tables would be scanned anyway; the question is whether an index *can* serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
    return relationships.explain()


def test_a_name_or_domain_prefix_search_uses_the_prefix_indexes(alice, acme):
    plan = plan_for(alice, "Acm")
    assert "customer_name_prefix_idx" in plan
    assert "customer_domain_prefix_idx" in plan


def test_a_tenant_id_search_uses_the_unique_index(alice, acme):
    plan = plan_for(alice, str(acme.tenant_id))
    assert "tenant_id_key" in plan
