"""On PostgreSQL an export batch and a records page are each one range of a partner-scoped
index read in order (no sort), and the newest acceptances of a batch come through the history
index: no batch reads the rows before it. The export's one-query batch (a LATERAL join) reads
the same index range and steps down the history index once a row, and gives the rows the
portable two-query batch gives.

Test tables are tiny, so sequential scans (and sorts) are switched off: the question is
whether an index *can* serve, and which."""

import re

import pytest
from django.conf import settings
from django.db import connection

from agreements.records import (
    lateral_batch,
    newest_acceptances,
    portable_batch,
    relationship_batch,
    row_batches,
)
from customers.filters import CustomerListFilter
from customers.models import Customer, Relationship
from customers.selectors import visible_by_partner
from tests import factories as f

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: the plans asked about exist only there",
    ),
]


@pytest.fixture(autouse=True)
def customers(alice, frank, fabrikam, northwind, template_cz):
    for partner in (alice.partner, fabrikam, northwind):
        many = Customer.objects.bulk_create(
            f.CustomerFactory.build(country="DE" if number % 2 else "CZ") for number in range(300)
        )
        Relationship.objects.bulk_create(
            Relationship(partner=partner, customer=customer, **customer.list_copies())
            for customer in many
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE customers_relationship")
        cursor.execute("ANALYZE agreements_acceptance")


def plan(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
    return queryset.explain()


def parts(partner, **filters):
    listing = CustomerListFilter(filters or None, queryset=Relationship.objects.all())
    return visible_by_partner(partner, listing.qs)


@pytest.mark.parametrize("resume", [None, ("m", 10**9)])
def test_a_batch_reads_the_name_index_in_order(alice, resume):
    [(_partner, relationships)] = parts(alice.partner)
    found = plan(relationship_batch(relationships, resume, 2000))
    assert "rel_partner_name_idx" in found
    assert "Sort" not in found


def test_a_filtered_batch_reads_the_filters_index_in_order(alice):
    [(_partner, relationships)] = parts(alice.partner, country="DE")
    # Resumed before every name ("customer 1 s.r.o." …), so the batch has rows to read: after
    # "m" none is left, and any index reads nothing as fast.
    found = plan(relationship_batch(relationships, ("c", 1), 2000))
    assert "rel_partner_country_name_idx" in found
    assert "Sort" not in found


def test_a_resellers_part_of_a_providers_export_reads_its_own_index_range(fabrikam, northwind):
    [_own, (reseller, relationships)] = parts(fabrikam)
    assert reseller == northwind
    found = plan(relationship_batch(relationships, ("m", 1), 2000))
    assert "rel_partner_name_idx" in found
    assert "Sort" not in found.split("SubPlan")[0]


def test_the_newest_acceptances_of_a_batch_come_through_an_index(alice, acme):
    f.attest(acme, alice)
    customer_ids = list(Relationship.objects.values_list("customer_id", flat=True)[:2000])
    # QuerySet.explain() can't wrap a filter on a window (Django's QUALIFY emulation).
    sql, params = newest_acceptances(alice.partner, customer_ids).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        found = "\n".join(row[0] for row in cursor.fetchall())
    # Which index depends on the statistics (a tiny table's favour the partner's); at scale
    # it is the history index, customer first (see the README's export measurements).
    assert re.search(r"Index (Only )?Scan using \S+ on agreements_acceptance", found), found
    assert "Seq Scan on agreements_acceptance" not in found


def lateral_plan(partner, relationships, resume) -> str:
    sql, params = lateral_batch(partner, relationships, resume, 2000)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("resume", [None, ("m", 10**9)])
def test_an_export_batch_is_one_index_range_and_a_history_step_a_row(alice, resume):
    [(partner, relationships)] = parts(alice.partner)
    found = lateral_plan(partner, relationships, resume)
    assert "rel_partner_name_idx" in found
    assert "Sort" not in found
    # The partner is part of the index condition, not a filter over a customer's history.
    assert re.search(
        r"Index Scan using acceptance_history_idx on agreements_acceptance x [^\n]*\n\s+"
        r"Index Cond: \(\(customer_id = \S+ AND \(partner_id = ",
        found,
    ), found
    assert "Seq Scan on agreements_acceptance" not in found


def test_the_one_query_batch_gives_the_portable_batchs_rows(
    alice, frank, acme, fabrikam, northwind, template_cz
):
    f.attest(acme, alice, first_name="Old", phone="+420601123456")
    f.attest(acme, alice, first_name="New", email="=cmd@example.cz")
    reseller_customer = Relationship.objects.filter(partner=northwind).first().customer
    # A provider's attestation counts for its reseller's customer.
    f.attest(reseller_customer, frank)
    for partner in (alice.partner, fabrikam):
        for part_partner, relationships in parts(partner):
            lateral = [
                row
                for batch in row_batches([(part_partner, relationships)], batch_size=7)
                for row in batch
            ]
            portable, resume = [], None
            while batch := portable_batch(part_partner, relationships, resume, 7):
                portable += batch
                resume = (batch[-1][-2], batch[-1][-1])
            assert lateral == portable
            assert len(lateral) == relationships.count()
    assert any(
        row[6] == "New"
        for batch in row_batches(parts(alice.partner), batch_size=50)
        for row in batch
    )
