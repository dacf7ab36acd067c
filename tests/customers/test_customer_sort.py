"""Each column of the customers list sorts both ways, from the URL (?sort=-created), and its
header says how the list is sorted (aria-sort) and links to the other way, keeping the search
and filters."""

import datetime
import html
import re

import pytest
from django.utils import timezone

from customers.models import AgreementStatus, Relationship
from tests.customers.listing import URL, customer_of, names

NOW = timezone.now()


@pytest.fixture
def five(alice, template_cz):
    """Five customers, each column ordering them differently."""
    rows = [
        # name, country, status, invited until, created (days ago), last accepted
        ("Alfa", "DE", AgreementStatus.ATTESTED, None, 9, datetime.date(2026, 1, 10)),
        ("beta", "AT", AgreementStatus.NONE, None, 10, None),
        ("Čedok", "US", AgreementStatus.INVITED, NOW + datetime.timedelta(days=3), 8, None),
        # A lapsed invitation: shown as nothing on record, sorted next to those.
        ("Delta", "GB", AgreementStatus.INVITED, NOW - datetime.timedelta(days=1), 7, None),
        ("Echo", "CZ", AgreementStatus.ATTESTED, None, 6, datetime.date(2026, 1, 5)),
    ]
    for name, country, status, invited_until, days_ago, accepted in rows:
        customer = customer_of(alice.partner, name, country=country)
        Relationship.objects.filter(customer=customer).update(
            agreement_status=status,
            invited_until=invited_until,
            created_at=NOW - datetime.timedelta(days=days_ago),
            last_accepted_on=accepted,
        )


ASCENDING = {
    # Case and diacritics aside: Čedok among the C's.
    "name": ["Alfa", "beta", "Čedok", "Delta", "Echo"],
    # By country code.
    "country": ["beta", "Echo", "Alfa", "Delta", "Čedok"],
    # Attested, then invited (open, then lapsed), then nothing on record.
    "status": ["Alfa", "Echo", "Čedok", "Delta", "beta"],
    "created": ["beta", "Alfa", "Čedok", "Delta", "Echo"],
    # Never accepted first (the oldest), then by date.
    "accepted": ["beta", "Čedok", "Delta", "Echo", "Alfa"],
}


@pytest.fixture
def listed(client, alice, five):
    client.force_login(alice)
    return lambda **params: names(client.get(URL, params))


@pytest.mark.parametrize("column", ASCENDING)
def test_each_column_sorts_ascending(listed, column):
    assert listed(sort=column) == ASCENDING[column]


@pytest.mark.parametrize("column", ASCENDING)
def test_each_column_sorts_descending(listed, column):
    assert listed(sort=f"-{column}") == ASCENDING[column][::-1]


def test_the_list_is_sorted_by_name_unless_asked(listed):
    assert listed() == ASCENDING["name"]


@pytest.mark.parametrize("column", ASCENDING)
@pytest.mark.parametrize("term", ["example.cz", "@"])
def test_a_search_keeps_the_sort(listed, column, term):
    """Every contact's email is at example.cz. A search the trigram index can narrow sorts
    its matches in another plan on PostgreSQL; a shorter one walks the sort's index."""
    assert listed(q=term, sort=column) == ASCENDING[column]
    assert listed(q=term, sort=f"-{column}") == ASCENDING[column][::-1]


def test_the_sort_combines_with_the_filters(listed):
    assert listed(status="attested", sort="-accepted") == ["Alfa", "Echo"]
    assert listed(status="none", sort="-name") == ["Delta", "beta"]
    assert listed(status="invited", sort="created") == ["Čedok"]


def test_an_unknown_sort_is_a_bad_request_that_lists_nothing(client, alice, five):
    # No rows in an order that wasn't asked for (tests/portal/test_a_refused_filter_lists_nothing.py).
    client.force_login(alice)
    response = client.get(URL, {"sort": "password"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert names_of(response) == []


def names_of(response):
    from tests.customers.listing import ROW

    return ROW.findall(response.text)


def headers(response) -> dict[str, tuple[str | None, str]]:
    """Column label → (its aria-sort, where its link leads)."""
    found = {}
    for attributes, href, label in re.findall(
        r'<th scope="col"([^>]*)>\s*<a class="sort-link[^"]*" href="([^"]*)">([^<]*)', response.text
    ):
        state = re.search(r'aria-sort="(\w+)"', attributes)
        found[label.strip()] = (state and state[1], html.unescape(href))
    return found


def test_the_sorted_columns_header_says_so_and_links_the_other_way(client, alice, five):
    client.force_login(alice)
    columns = headers(client.get(URL, {"q": "e", "country": "DE", "sort": "-created", "page": 1}))
    assert columns["Created"] == ("descending", "?q=e&country=DE&sort=created")
    assert columns["Company name"] == (None, "?q=e&country=DE&sort=name")
    assert columns["Last acceptance"] == (None, "?q=e&country=DE&sort=accepted")
    assert set(columns) == {
        "Company name",
        "Country",
        "Microsoft Customer Agreement",
        "Last acceptance",
        "Created",
    }


def test_by_default_the_name_column_is_sorted_ascending(client, alice, five):
    client.force_login(alice)
    columns = headers(client.get(URL))
    assert columns["Company name"] == ("ascending", "?sort=-name")
    assert all(state is None for label, (state, _) in columns.items() if label != "Company name")


def test_the_search_form_keeps_the_sort(client, alice, five):
    client.force_login(alice)
    response = client.get(URL, {"sort": "-accepted"})
    assert '<input type="hidden" name="sort" value="-accepted">' in response.text


def test_paging_keeps_the_sort_and_the_search(client, alice, many_customers):
    many_customers(alice.partner, 30)
    client.force_login(alice)
    response = client.get(URL, {"q": "customer", "sort": "-created"})
    assert "?q=customer&amp;sort=-created&amp;page=2" in response.text
    second = names(client.get(URL, {"q": "customer", "sort": "-created", "page": 2}))
    first = names(response)
    assert len(first) == 25 and len(second) == 5
    assert not set(first) & set(second)
