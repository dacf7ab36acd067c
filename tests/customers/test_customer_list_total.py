"""The customers list says how many customers it holds: exactly up to a bound, then "more
than" the bound; counting stops there, so it costs the same at a million customers."""

import pytest
from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from customers import selectors, views
from tests.customers.listing import URL, customer_of, names


@pytest.fixture
def small_bound(monkeypatch):
    """Count to 3 and show 2 a page, so a handful of customers is "more than"."""
    monkeypatch.setattr(selectors, "LIST_TOTAL_LIMIT", 3)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)


@pytest.fixture
def seven(alice):
    for letter in "ABCDEFG":
        customer_of(alice.partner, f"{letter} Customer")


def test_the_total_is_exact_up_to_the_bound(client, alice, many_customers):
    many_customers(alice.partner, 7)
    client.force_login(alice)
    assert "Showing 1–7 of 7 customers" in client.get(URL).text


def test_one_customer_is_said_in_the_singular(client, alice, acme):
    client.force_login(alice)
    assert "Showing 1–1 of 1 customer\n" in client.get(URL).text


def test_past_the_bound_the_total_says_more_than(client, alice, seven, small_bound):
    client.force_login(alice)
    response = client.get(URL)
    assert "Showing 1–2 of more than 3 customers" in response.text
    assert "Page 1 of more than 2" in response.text


def test_the_bound_is_said_in_czech(client, alice, seven, small_bound):
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cs"
    response = client.get(URL)
    assert "Zobrazeno 1–2 z více než 3 zákazníků" in response.text
    assert "Strana 1 z více než 2" in response.text


def test_the_exact_total_is_said_in_czech_with_its_plural(client, alice, many_customers):
    many_customers(alice.partner, 3)
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cs"
    assert "Zobrazeno 1–3 z 3 zákazníků" in client.get(URL).text


def test_a_large_total_is_grouped_the_languages_way():
    page = selectors.ListPage(
        rows=[None] * 25, number=1, per_page=25, total=1000, total_is_more=True, has_next=True
    )
    with translation.override("en"):
        assert "of more than 1,000 customers" in render_to_string(
            "customers/_list_total.html", {"page": page}
        )
    with translation.override("cs"):
        assert "z více než 1\xa0000 zákazníků" in render_to_string(
            "customers/_list_total.html", {"page": page}
        )


def test_the_pages_go_on_past_the_bound(client, alice, seven, small_bound):
    client.force_login(alice)
    pages = [names(client.get(URL, {"page": number})) for number in (1, 2, 3, 4)]
    assert pages == [
        ["A Customer", "B Customer"],
        ["C Customer", "D Customer"],
        ["E Customer", "F Customer"],
        ["G Customer"],
    ]
    third = client.get(URL, {"page": 3})
    assert "Showing 5–6 of more than 3 customers" in third.text
    assert "Page 3 of more than 2" in third.text
    assert "page=4" in third.text
    assert "page=5" not in client.get(URL, {"page": 4}).text


def test_a_page_past_the_end_shows_the_last_counted_one(client, alice, seven, small_bound):
    client.force_login(alice)
    assert names(client.get(URL, {"page": 999999})) == ["C Customer", "D Customer"]
    assert names(client.get(URL, {"page": "last"})) == ["A Customer", "B Customer"]


def test_a_page_past_the_end_of_a_counted_list_shows_its_last_page(client, alice, seven):
    client.force_login(alice)
    response = client.get(URL, {"page": 999999})
    assert "Showing 1–7 of 7 customers" in response.text


def test_counting_stops_past_the_bound(client, alice, seven, small_bound):
    client.force_login(alice)
    with CaptureQueriesContext(connection) as captured:
        client.get(URL, {"status": "none"})
    # The bounded count comes beside the page's places, in their statement.
    counts = [q["sql"] for q in captured if "SELECT COUNT(*)" in q["sql"]]
    assert len(counts) == 1
    assert "LIMIT 4) bounded)" in counts[0]


def test_a_searchs_total_is_exact_past_the_bound(client, alice, seven, small_bound):
    """A search's matches are all read to be sorted: their number comes with them."""
    client.force_login(alice)
    response = client.get(URL, {"q": "customer", "page": 2})
    assert names(response) == ["C Customer", "D Customer"]
    assert "Showing 3–4 of 7 customers" in response.text
    assert "Page 2 of 4" in response.text
    last = client.get(URL, {"q": "customer", "page": 999})
    assert names(last) == ["G Customer"]
    assert "Showing 7–7 of 7 customers" in last.text


def test_a_search_expected_to_match_very_many_has_a_bounded_total(
    client, alice, seven, small_bound, monkeypatch
):
    monkeypatch.setattr(selectors, "SORTED_MATCHES_LIMIT", -1)
    client.force_login(alice)
    response = client.get(URL, {"q": "customer"})
    assert names(response) == ["A Customer", "B Customer"]
    assert "Showing 1–2 of more than 3 customers" in response.text


def test_a_huge_page_number_shows_the_last_page(client, alice, seven):
    client.force_login(alice)
    huge = "9" * 30
    assert names(client.get(URL, {"page": huge})) == [f"{letter} Customer" for letter in "ABCDEFG"]
    assert names(client.get(URL, {"page": huge, "q": "customer"}))[-1] == "G Customer"
    assert names(client.get(URL, {"page": "-5", "q": "customer"}))[0] == "A Customer"
