"""A common word's page is looked for along the name order, at most WALK_ROWS customers of it,
before all its matches are read and sorted (customers.selectors._walked): the page, its
total and its next link are the same either way, on SQLite and PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers import selectors
from customers.selectors import Walk
from tests.customers.listing import URL, customer_of, names

PAGE = 25


@pytest.fixture
def many_horaks(alice):
    """60 Horáks among 60 others, interleaved in the name order."""
    for number in range(60):
        customer_of(alice.partner, f"Firma {number:03d} Horák")
        customer_of(alice.partner, f"Firma {number:03d} Novák")


def page_of(client, walking: bool, monkeypatch, **params) -> tuple[list[str], str, bool]:
    """The names a page lists, its total line, and whether the walk answered it."""
    monkeypatch.setattr(selectors, "_walk_worthwhile", lambda expected, beginning: walking)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params)
    # Tried and found it, or its matches were sorted after all (an order only they use).
    walked = any("walked" in query["sql"] for query in captured) and not any(
        "COALESCE" in query["sql"] for query in captured
    )
    total = response.text.split('id="customers-total"', 1)[-1].split("</p>", 1)[0]
    return names(response), total, walked


@pytest.mark.parametrize("sort", ["name", "-name"])
@pytest.mark.parametrize("page", ["1", "2", "3"])
def test_a_walked_page_is_the_sorted_page(client, alice, many_horaks, monkeypatch, sort, page):
    client.force_login(alice)
    walked_names, walked_total, walked = page_of(
        client, True, monkeypatch, q="horak", sort=sort, page=page
    )
    sorted_names, sorted_total, _ = page_of(
        client, False, monkeypatch, q="horak", sort=sort, page=page
    )
    assert walked_names == sorted_names
    assert " ".join(walked_total.split()) == " ".join(sorted_total.split())
    assert all("Horák" in name for name in walked_names)
    # Page 3 holds the last 10 of 60, fewer than a page and one: the walk can't prove there
    # is no next page, so the matches are sorted.
    assert walked == (page != "3")
    if page == "1":
        first = "Firma 000 Horák" if sort == "name" else "Firma 059 Horák"
        assert walked_names[0] == first
        assert len(walked_names) == PAGE


def test_a_walk_too_short_for_the_page_sorts_the_matches(client, alice, many_horaks, monkeypatch):
    monkeypatch.setattr(selectors, "WALK_ROWS", 30)  # 15 Horáks: less than a page
    client.force_login(alice)
    found, _total, walked = page_of(client, True, monkeypatch, q="horak")
    assert not walked
    assert found == [f"Firma {number:03d} Horák" for number in range(PAGE)]


def test_a_walk_takes_like_wildcards_literally(client, alice, monkeypatch):
    for number in range(30):
        customer_of(alice.partner, f"Sleva 50% {number:02d}")
        customer_of(alice.partner, f"Sleva 500 {number:02d}")
        customer_of(alice.partner, f"Pila a_b {number:02d}")
        customer_of(alice.partner, f"Pila axb {number:02d}")
    client.force_login(alice)
    found, _total, walked = page_of(client, True, monkeypatch, q="50%")
    assert walked
    assert found == [f"Sleva 50% {number:02d}" for number in range(PAGE)]
    found, _total, walked = page_of(client, True, monkeypatch, q="a_b")
    assert walked
    assert found == [f"Pila a_b {number:02d}" for number in range(PAGE)]


def test_every_word_must_be_met(client, alice, many_horaks, monkeypatch):
    client.force_login(alice)
    found, _total, walked = page_of(client, True, monkeypatch, q="horák firma")
    assert walked
    assert found == [f"Firma {number:03d} Horák" for number in range(PAGE)]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "horak", "status": "none"},
        {"q": "horak", "country": "CZ"},
        {"q": "horak", "sort": "created"},
    ],
)
def test_only_a_search_by_name_walks(client, alice, many_horaks, monkeypatch, params):
    client.force_login(alice)
    _found, _total, walked = page_of(client, True, monkeypatch, **params)
    assert not walked


def test_a_providers_list_is_not_walked(client, frank, monkeypatch):
    """A provider's list also holds its resellers' customers: no one index range to walk."""
    for number in range(30):
        customer_of(frank.partner, f"Firma {number:03d} Horák")
    client.force_login(frank)
    found, _total, walked = page_of(client, True, monkeypatch, q="horak")
    assert not walked
    assert len(found) == PAGE


def test_a_common_word_spread_over_the_names_is_worth_walking():
    # Few matches: sorting them is cheap.
    assert not selectors._walk_worthwhile(selectors.WALK_FROM_MATCHES - 1, 0)
    # Many, most of them names that begin with the word: they lie together somewhere.
    assert not selectors._walk_worthwhile(10_000, 6_000)
    # Many, spread over the names.
    assert selectors._walk_worthwhile(10_000, 40)


def test_both_estimates_come_from_the_planner_in_one_round_trip(alice, many_horaks):
    """The matches and the names beginning with the longest word, an EXPLAIN each, sent
    together (none on SQLite, whose planner has no such estimates)."""
    walk = Walk(
        rows=selectors.visible_relationships(alice.partner).order_by("customer_sort_name", "id"),
        words=("firma", "horak"),
        descending=False,
    )
    matches = walk.rows.filter(search_text__contains="horak")
    with CaptureQueriesContext(connection) as captured:
        estimates = selectors._expected_rows(matches, walk.beginning())
    assert len(estimates) == 2
    if connection.vendor == "postgresql":
        # One query string, both EXPLAINs in it.
        assert len(captured) == 1
        assert captured[0]["sql"].startswith("EXPLAIN") and captured[0]["sql"].count("EXPLAIN") == 2
        assert all(estimate >= 1 for estimate in estimates)
    else:
        assert estimates == [0.0, 0.0] and not captured


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_parallel_plans_give_each_parts_whole_estimate(alice, many_horaks):
    """Many rows make PostgreSQL plan in parallel. Each estimate is still the whole part's
    (the Gather's rows), in the order asked. (One EXPLAIN of a UNION ALL, as before, failed the
    customers list at a million customers: a parallel Append reorders its members and gives
    each process's share of their rows.)"""
    walk = Walk(
        rows=selectors.visible_relationships(alice.partner).order_by("customer_sort_name", "id"),
        words=("firma", "horak"),
        descending=False,
    )
    matches = walk.rows.filter(search_text__contains="horak")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE customers_relationship")
    serial = selectors._expected_rows(matches, walk.beginning())
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        forced = (
            "debug_parallel_query" if int(cursor.fetchone()[0]) >= 160000 else "force_parallel_mode"
        )
        # Parallel plans even for a few rows (this transaction only): cheap ones, and a Gather
        # on top of any plan the planner would rather run alone.
        for setting in (
            f"{forced} = on",
            "parallel_setup_cost = 0",
            "parallel_tuple_cost = 0",
            "min_parallel_table_scan_size = 0",
            "min_parallel_index_scan_size = 0",
            "enable_bitmapscan = off",
            "enable_indexscan = off",
            "enable_indexonlyscan = off",
        ):
            cursor.execute(f"SET LOCAL {setting}")
    assert "Gather" in matches.explain(), "the setup should give a parallel plan"
    parallel = selectors._expected_rows(matches, walk.beginning())
    # 60 Horáks, 120 names beginning with "Firma".
    assert serial == pytest.approx([60, 120], rel=0.1)
    assert parallel == pytest.approx(serial, rel=0.05)
