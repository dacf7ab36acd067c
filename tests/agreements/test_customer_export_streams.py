"""The export streams: on PostgreSQL one COPY a partner of the scope, whose lines are passed on
as they come; elsewhere keyset batches of two queries each (the relationships, then the newest
acceptance of each of their customers). Never a query a row, never everything at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements import exports
from tests import factories as f
from tests.agreements.export import export

COPIED = connection.vendor == "postgresql"


def per_batch() -> int:
    """Queries a further batch costs: none where the database copies the whole range."""
    return 0 if COPIED else 2


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(exports, "BATCH_SIZE", 5)
    # PostgreSQL's lines are passed on as soon as there are any.
    monkeypatch.setattr(exports, "CHUNK_BYTES", 1)


def customers(partner, agent, count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        customer = f.CustomerFactory(company_name=f"Customer {number:03d}")
        f.RelationshipFactory(partner=partner, customer=customer)
        # Attested and with a history: the acceptance query is what an N+1 would repeat.
        f.attest(customer, agent, first_name="Old")
        f.attest(customer, agent, first_name="New")


def queries_to_export(client, user) -> tuple[int, int]:
    response = export(client, user)
    with CaptureQueriesContext(connection) as captured:
        lines = b"".join(response.streaming_content).decode().splitlines()
    return len(captured), len(lines) - 1


def test_the_response_streams_its_batches(client, alice, contoso, template_cz, small_batches):
    customers(contoso, alice, 7)
    response = export(client, alice)
    chunks = list(response.streaming_content)
    # The header, then a chunk a batch (5 + 2 rows), or a line at a time from COPY.
    expected = [1] * 8 if COPIED else [1, 5, 2]
    assert [chunk.count(b"\n") for chunk in chunks] == expected


def test_the_query_count_stays_fixed_as_rows_grow_within_a_batch(
    client, alice, contoso, template_cz, small_batches
):
    customers(contoso, alice, 2)
    fewer, rows = queries_to_export(client, alice)
    assert (fewer, rows) == (1 if COPIED else per_batch(), 2)
    customers(contoso, alice, 2, start=2)
    assert queries_to_export(client, alice) == (fewer, 4)


def test_each_further_batch_costs_the_same_queries(
    client, alice, contoso, template_cz, small_batches
):
    customers(contoso, alice, 4)
    one_batch, _rows = queries_to_export(client, alice)
    customers(contoso, alice, 8, start=4)
    # 12 rows: 5 + 5 + 2.
    assert queries_to_export(client, alice) == (one_batch + 2 * per_batch(), 12)


def test_the_newest_record_of_each_customer_is_exported(client, alice, contoso, template_cz):
    customers(contoso, alice, 3)
    lines = b"".join(export(client, alice).streaming_content).decode().splitlines()[1:]
    assert [line.split(",")[6] for line in lines] == ["New", "New", "New"]


def test_a_provider_pays_its_queries_a_part_not_a_row(
    client, frank, fabrikam, northwind, template_cz, small_batches
):
    customers(fabrikam, frank, 2)
    customers(northwind, frank, 2, start=10)
    queries, rows = queries_to_export(client, frank)
    assert rows == 4
    customers(northwind, frank, 2, start=20)
    assert queries_to_export(client, frank) == (queries, 6)
