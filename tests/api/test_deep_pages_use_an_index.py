"""A continued API page is an index range on PostgreSQL, so a deep page costs what the first
does (issue 11, cause 3): the plans of the queries the views really run, by index name."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: the question is what its planner does with the query",
    ),
]

# Django's name for the index of Customer.company_name (db_index=True).
NAME_INDEX = "customers_customer_company_name_adef1c21"
HISTORY_INDEX = "acceptance_history_idx"


def query_of(api, uri: str, table: str) -> str:
    """The SQL the view ran to read the page's rows from ``table``."""
    with CaptureQueriesContext(connection) as captured:
        assert api.get(uri).status_code == 200
    (sql,) = [
        query["sql"]
        for query in captured.captured_queries
        if f'FROM "{table}"' in query["sql"] and "ORDER BY" in query["sql"]
    ]
    return sql


def plan_nodes(sql: str) -> list[dict]:
    with connection.cursor() as cursor:
        # Tiny test tables would be scanned anyway; the question is whether an index *can*
        # serve the page in its order, and with which condition. (Left free, the planner
        # sometimes bitmap-scans another index of a tiny table and sorts the rows.)
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        (plan,) = cursor.fetchone()[0]
    nodes, todo = [], [plan["Plan"]]
    while todo:
        node = todo.pop()
        nodes.append(node)
        todo.extend(node.get("Plans", []))
    return nodes


def index_scan(nodes: list[dict], index: str) -> dict:
    scans = [node for node in nodes if node.get("Index Name") == index]
    assert scans, f"{index} is not in the plan: {nodes}"
    return scans[0]


def analyze(*tables: str) -> None:
    """Statistics as a live database has them: without, the planner guesses one row a table."""
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {table}")


def test_a_deep_customers_page_is_a_range_of_the_company_name_index(api_as, alice, contoso):
    # The shape of the benchmark: most customers are the caller's, so the cheapest page is a
    # walk of the name index from the token on, not all of the partner's customers sorted.
    for number in range(200):
        customer = f.CustomerFactory(company_name=f"Customer {number:03d}")
        f.RelationshipFactory(partner=contoso, customer=customer)
    analyze("customers_customer", "customers_relationship")
    api = api_as(alice)
    first = api.get("/v1/customers?size=10").json()
    deep = api.get(first["links"]["next"]["uri"]).json()["links"]["next"]["uri"]

    scan = index_scan(plan_nodes(query_of(api, deep, "customers_customer")), NAME_INDEX)
    # The bound is what the index seeks to, not a filter applied to every row before it.
    assert "company_name" in scan["Index Cond"] and ">=" in scan["Index Cond"]


def test_a_deep_history_page_is_a_range_of_the_history_index(api_as, alice, acme):
    f.attest_many(acme, alice, 60)
    analyze("agreements_acceptance")
    api = api_as(alice)
    uri = f"/v1/customers/{acme.tenant_id}/agreements?size=10"
    for _ in range(3):
        uri = api.get(uri).json()["links"]["next"]["uri"]

    scan = index_scan(plan_nodes(query_of(api, uri, "agreements_acceptance")), HISTORY_INDEX)
    assert "recorded_at" in scan["Index Cond"] and "<=" in scan["Index Cond"]
