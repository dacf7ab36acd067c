"""A search's matches are collected and sorted (an order no index has, so PostgreSQL can't
walk the whole sort index hoping to meet them) unless PostgreSQL expects very many of them;
either way the page is the same."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers import selectors
from tests.customers.listing import URL, customer_of, names


@pytest.fixture
def horaks(alice):
    for name in ("Zámečnictví Horák", "Kovárna Horák", "Autoservis Horák", "Pila Horák", "Elektro"):
        customer_of(alice.partner, name)


def rows_query(client, **params) -> tuple[list[str], str]:
    """The page's names, and the query that puts the search's matches in order."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params)
    return names(response), next(
        q["sql"]
        for q in captured
        if "LIKE" in q["sql"] and "ORDER BY" in q["sql"] and not q["sql"].startswith("EXPLAIN")
    )


def test_a_search_sorts_its_matches(client, alice, horaks):
    client.force_login(alice)
    found, sql = rows_query(client, q="horák")
    assert found == ["Autoservis Horák", "Kovárna Horák", "Pila Horák", "Zámečnictví Horák"]
    assert "COALESCE" in sql


def test_a_search_expected_to_match_very_many_walks_the_sort(client, alice, horaks, monkeypatch):
    monkeypatch.setattr(selectors, "SORTED_MATCHES_LIMIT", -1)
    client.force_login(alice)
    found, sql = rows_query(client, q="horák", sort="-name")
    assert found == ["Zámečnictví Horák", "Pila Horák", "Kovárna Horák", "Autoservis Horák"]
    assert "COALESCE" not in sql


def test_a_search_of_short_words_walks_the_sort(client, alice, horaks):
    """No trigram in one or two letters: the index can't narrow it, the sort's index can."""
    client.force_login(alice)
    found, sql = rows_query(client, q="HO")
    assert found == ["Autoservis Horák", "Kovárna Horák", "Pila Horák", "Zámečnictví Horák"]
    assert "COALESCE" not in sql
