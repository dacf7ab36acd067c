"""On PostgreSQL the customers list's queries can be answered by the indexes made for them:
the search by the trigram index, each sort and filter by a partner-scoped index read in order
(no sort step), the count within a partner's index range.

Test tables are tiny, so sequential scans (and sorts) are switched off: the question is
whether an index *can* serve, and which."""

import re

import pytest
from django.conf import settings
from django.db import connection

from customers.filters import CustomerListFilter, search_condition
from customers.models import Customer, Relationship
from customers.selectors import LIST_TOTAL_LIMIT, visible_relationships
from tests import factories as f
from tests.customers.listing import customer_of

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: the trigram index and the index-ordered plans exist only there",
    ),
]


@pytest.fixture(autouse=True)
def customers(alice, acme):
    """Like the benchmark's partner: thousands of customers, a few of them Horák's."""
    many = Customer.objects.bulk_create(
        f.CustomerFactory.build(country="DE" if number % 2 else "CZ") for number in range(500)
    )
    Relationship.objects.bulk_create(
        Relationship(partner=alice.partner, customer=customer, **customer.list_copies())
        for customer in many
    )
    for number in range(3):
        customer_of(alice.partner, f"Kovárna Horák {number}", contact_email=f"{number}@horak.cz")
    with connection.cursor() as cursor:
        # What VACUUM does (it can't run in a test's transaction): the new rows move from the
        # trigram index's pending list, which the planner rightly thinks slow, into the index.
        cursor.execute("SELECT gin_clean_pending_list('rel_search_trgm_idx')")
        cursor.execute("ANALYZE customers_relationship")
        cursor.execute("ANALYZE customers_customer")


def listing(partner, **params) -> CustomerListFilter:
    return CustomerListFilter(params, queryset=visible_relationships(partner))


def plan(queryset, *, sort: bool = True, bitmaps_only: bool = False) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if not sort:
            cursor.execute("SET LOCAL enable_sort = off")
        if bitmaps_only:
            # At this size the planner would rather filter the partner's few rows one by one.
            cursor.execute("SET LOCAL enable_indexscan = off")
    return queryset.explain()


def page_plan(filters: CustomerListFilter, *, matches_first: bool = False, sort: bool = True):
    """The plan of the query that finds a page's places (selectors._rows)."""
    relationships = filters.qs
    if matches_first:
        relationships = relationships.order_by(*filters.matches_first())
    return plan(relationships.values("pk")[:26], sort=sort, bitmaps_only=matches_first)


@pytest.mark.parametrize("term", ["horak", "Horák 1", "ovárn", "2@horak.cz"])
def test_a_search_uses_the_trigram_index(alice, term):
    filters = listing(alice.partner, q=term)
    assert filters.searching
    # The search's own condition, apart from the partner's scope: the search text's fine
    # histogram (customers 0013) tells the planner that a partner this small is read as fast
    # through its own index.
    found = plan(
        Relationship.objects.filter(search_condition(term)).values("pk"), bitmaps_only=True
    )
    assert "rel_search_trgm_idx" in found


def test_a_word_with_punctuation_reads_the_index_by_its_runs_only(alice):
    """The trigrams of "2@horak.cz" beside its punctuation are in most texts: the index is
    asked for its runs ("horak"), and the whole word is a filter on the rows found."""
    found = plan(
        Relationship.objects.filter(search_condition("2@horak.cz")).values("pk"),
        bitmaps_only=True,
    )
    index_condition = re.search(r"Index Cond: (.*)", found).group(1)
    assert "rel_search_trgm_idx" in found
    assert "%horak%" in index_condition and "2@horak.cz" not in index_condition
    assert "strpos(search_text, '2@horak.cz'::text) > 0" in found


def test_a_search_sorts_its_matches_rather_than_walk_the_names(alice):
    """The order the view asks for a search can't be read from an index: the matches are
    found first, then sorted (the planner can't know they may all lie at the far end)."""
    filters = listing(alice.partner, q="horak")
    found = page_plan(filters, matches_first=True)
    assert "Sort" in found
    assert "rel_partner_name_idx" not in found


def test_a_tenant_id_prefix_uses_the_trigram_and_customer_indexes(alice, acme):
    # The search's own condition, apart from the partner's scope: with a partner this small,
    # whether the planner would rather read the partner's index depends on the statistics
    # earlier tests left behind (they outlive a rolled-back test), not on the search.
    condition = search_condition(str(acme.tenant_id)[:8])
    found = plan(Relationship.objects.filter(condition).values("pk"), bitmaps_only=True)
    assert "rel_search_trgm_idx" in found
    assert "customers_relationship_customer_id" in found


def test_the_count_reads_the_search_through_the_trigram_index(alice):
    count = listing(alice.partner, q="horak").qs.order_by()[: LIST_TOTAL_LIMIT + 1]
    assert "rel_search_trgm_idx" in plan(count, bitmaps_only=True)


@pytest.mark.parametrize(
    ("sort", "index"),
    [
        ("name", "rel_partner_name_idx"),
        ("-name", "rel_partner_name_idx"),
        ("country", "rel_partner_country_name_idx"),
        ("-country", "rel_partner_country_name_idx"),
        ("status", "rel_partner_status_sort_idx"),
        ("-status", "rel_partner_status_sort_idx"),
        ("created", "rel_partner_created_idx"),
        ("-created", "rel_partner_created_idx"),
        ("accepted", "rel_partner_accepted_idx"),
        ("-accepted", "rel_partner_accepted_idx"),
    ],
)
def test_each_sort_reads_its_index_in_order(alice, sort, index):
    found = page_plan(listing(alice.partner, sort=sort), sort=False)
    assert index in found
    assert "Sort" not in found


@pytest.mark.parametrize(
    ("params", "index"),
    [
        ({"country": "DE"}, "rel_partner_country_name_idx"),
        ({"country": "DE", "sort": "-name"}, "rel_partner_country_name_idx"),
        ({"status": "blocked"}, "rel_partner_status_name_idx"),
        ({"status": "attested", "sort": "-name"}, "rel_partner_status_name_idx"),
        ({"country": "DE", "status": "attested"}, "rel_partner_(country|status)_name_idx"),
        ({"status": "none", "sort": "status"}, "rel_partner_status_sort_idx"),
    ],
)
def test_a_filter_and_a_sort_read_one_index_range_in_order(alice, params, index):
    found = page_plan(listing(alice.partner, **params), sort=False)
    assert re.search(index, found)
    assert "Sort" not in found


def test_the_unsearched_count_stays_in_the_partners_index(alice):
    count = listing(alice.partner).qs.order_by()[: LIST_TOTAL_LIMIT + 1]
    found = plan(count)
    assert "Index Only Scan" in found or "Index Scan" in found
    assert "Limit" in found


@pytest.mark.parametrize(
    "params",
    [{"status": "attested"}, {"status": "blocked"}, {"country": "DE", "status": "attested"}],
)
def test_a_filtered_count_reads_the_index_alone(alice, params):
    """The filter columns are included in the indexes: counting needs no table row. (The
    cheaper index-only scans of a vacuumed table are out of reach in a test's transaction,
    which is why the unfiltered and country-only counts aren't asked here.)"""
    # What selectors.list_page counts: SELECT COUNT(*) FROM (SELECT id … LIMIT 1001).
    counted = listing(alice.partner, **params).qs.order_by().values("pk")[: LIST_TOTAL_LIMIT + 1]
    assert "Index Only Scan" in plan(counted)


@pytest.mark.parametrize(
    ("params", "index"),
    [
        ({"country": "DE", "sort": "-created"}, "rel_partner_created_idx"),
        ({"status": "attested", "sort": "accepted"}, "rel_partner_accepted_idx"),
        ({"status": "none", "sort": "-name"}, "rel_partner_name_idx"),
    ],
)
def test_a_filter_along_another_sort_reads_that_sorts_index_alone(alice, params, index):
    found = page_plan(listing(alice.partner, **params), sort=False)
    assert re.search(f"Index Only Scan (Backward )?using {index}", found)


def test_a_walk_reads_the_name_index_carrying_the_search_text(client, alice, monkeypatch):
    """A common word's walk (selectors._walked) reads the name index in order and tests
    each entry's search text there: no sort, no trigram index, and the index carries that text
    (so a vacuumed table is read through the index alone). The bounded total beside it is
    counted once (an InitPlan), through the trigram index."""
    import json

    from django.test.utils import CaptureQueriesContext

    from customers import selectors
    from tests.customers.listing import URL

    monkeypatch.setattr(selectors, "_walk_worthwhile", lambda expected, beginning: True)
    client.force_login(alice)
    with CaptureQueriesContext(connection) as captured:
        client.get(URL, {"q": "horak"})
    walk = next(query["sql"] for query in captured if "walked" in query["sql"])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + walk)
        (plan,) = cursor.fetchone()
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'rel_partner_name_idx'")
        (definition,) = cursor.fetchone()
    plan = json.loads(plan) if isinstance(plan, str) else plan

    def nodes(node):
        yield node
        for child in node.get("Plans", []):
            yield from nodes(child)

    everything = list(nodes(plan[0]["Plan"]))
    [walked] = [node for node in everything if node.get("Alias") == "walked"]
    along = list(nodes(walked))
    assert any(node.get("Index Name") == "rel_partner_name_idx" for node in along)
    assert not any(node.get("Index Name") == "rel_search_trgm_idx" for node in along)
    assert not any(node["Node Type"] == "Sort" for node in everything)
    [counted] = [node for node in everything if node.get("Parent Relationship") == "InitPlan"]
    assert any(node.get("Index Name") == "rel_search_trgm_idx" for node in nodes(counted))
    assert "search_text" in definition.split("INCLUDE", 1)[1]


def test_the_trigram_indexs_pending_list_is_kept_short():
    """Every search reads the whole pending list: it is moved into the index at 256 kB, not
    at PostgreSQL's 4 MB (customers migration 0014)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'rel_search_trgm_idx'")
        (options,) = cursor.fetchone()
    assert "gin_pending_list_limit=256" in options
