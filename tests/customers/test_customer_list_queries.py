from django.db import connection
from django.urls import reverse

from customers import selectors
from tests import factories as f

URL = reverse("customers:list")


def count_queries(client, django_assert_max_num_queries, budget, explains=True, **params):
    """The queries a list page makes (without the planner's estimates, ``explains=False``:
    on PostgreSQL a search asks for one or two, sent together)."""
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(
        [q for q in captured.captured_queries if explains or not q["sql"].startswith("EXPLAIN")]
    )


def test_list_query_count_does_not_grow_with_customers(
    client, alice, many_customers, django_assert_max_num_queries
):
    client.force_login(alice)
    many_customers(alice.partner, 5)
    with_five = count_queries(client, django_assert_max_num_queries, 8)
    many_customers(alice.partner, 45)
    with_fifty = count_queries(client, django_assert_max_num_queries, 8)
    assert with_fifty == with_five


def test_provider_list_with_resellers_customers_stays_within_budget(
    client, frank, northwind, many_customers, django_assert_max_num_queries
):
    client.force_login(frank)
    many_customers(frank.partner, 5)
    many_customers(northwind, 5)
    with_ten = count_queries(client, django_assert_max_num_queries, 8)
    many_customers(northwind, 40)
    assert count_queries(client, django_assert_max_num_queries, 8) == with_ten


def test_search_query_count_does_not_grow_with_matches(
    client, alice, many_customers, django_assert_max_num_queries
):
    client.force_login(alice)
    many_customers(alice.partner, 5)
    few = count_queries(client, django_assert_max_num_queries, 8, q="Customer")
    filtered = count_queries(client, django_assert_max_num_queries, 8, q="Customer", country="CZ")
    many_customers(alice.partner, 45)
    assert count_queries(client, django_assert_max_num_queries, 8, q="Customer") == few
    assert count_queries(client, django_assert_max_num_queries, 8, q="Customer", page=2) == few
    assert (
        count_queries(client, django_assert_max_num_queries, 8, q="Customer", country="CZ")
        == filtered
    )


def test_a_search_reads_the_partners_relationships_without_joining_every_customer(
    client, alice, acme
):
    """The folded copy on the relationship is searched, and the matches counted on the way;
    customers are joined for the page's rows only, found by their ids."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    f.RelationshipFactory(partner=alice.partner, customer=f.CustomerFactory())
    client.force_login(alice)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, {"q": "ACMÉ"})
    assert "Acme s.r.o." in response.text
    searches = [q["sql"] for q in captured if "%acme%" in q["sql"]]
    assert searches, "the folded word is looked for in the database"
    assert all('"search_text"' in sql for sql in searches)
    assert all('"customers_customer"' not in sql for sql in searches)
    assert all("COUNT(" in sql and "OVER ()" in sql for sql in searches if "EXPLAIN" not in sql)


def test_every_sort_and_a_later_page_cost_the_same_queries(
    client, alice, many_customers, django_assert_max_num_queries
):
    client.force_login(alice)
    many_customers(alice.partner, 30)
    first = count_queries(client, django_assert_max_num_queries, 8)
    for sort in ("name", "-name", "country", "-status", "created", "-accepted"):
        for page in ("1", "2"):
            assert count_queries(
                client, django_assert_max_num_queries, 8, sort=sort, page=page
            ) == (first)
        # A page past the end (an edited address) finds no places to carry the total: it is
        # counted, and the last page's places read, two queries more at any size.
        assert count_queries(client, django_assert_max_num_queries, 8, sort=sort, page="999") == (
            first + 2
        )


def test_a_search_with_filters_and_sort_costs_the_same_queries(
    client, alice, many_customers, django_assert_max_num_queries
):
    client.force_login(alice)
    many_customers(alice.partner, 30)
    plain = count_queries(client, django_assert_max_num_queries, 8)
    searched = count_queries(
        client, django_assert_max_num_queries, 8, q="customer", status="none", sort="-created"
    )
    # The count comes with the page's places; PostgreSQL is asked first how many to expect.
    assert searched == plain + (connection.vendor == "postgresql")


def test_a_tenant_id_search_looks_the_tenant_up_in_one_more_query(
    client, alice, acme, django_assert_max_num_queries
):
    client.force_login(alice)
    plain = count_queries(client, django_assert_max_num_queries, 8, False, q="acme")
    by_tenant = count_queries(
        client, django_assert_max_num_queries, 9, False, q=str(acme.tenant_id)[:8]
    )
    assert by_tenant == plain + 1


def test_a_partners_own_rows_take_the_partner_in_hand_and_a_providers_join_it(
    client, alice, frank, northwind, many_customers
):
    """Every row of a partner that is no provider is its own: the page's rows are joined to
    their customers only. A provider's rows may be its resellers', named on the page."""
    from django.test.utils import CaptureQueriesContext

    many_customers(alice.partner, 3)
    client.force_login(alice)
    with CaptureQueriesContext(connection) as captured:
        for params in ({}, {"q": "Customer"}):
            assert client.get(URL, params).status_code == 200
    # The rows' statement is prepared on PostgreSQL: its text shows only where the connection
    # prepares it, and else its EXECUTE by name (list_rows, list_rows_partners for a provider).
    rows = [
        q["sql"]
        for q in captured
        if 'JOIN "customers_customer"' in q["sql"] or "EXECUTE list_rows" in q["sql"]
    ]
    assert len(rows) == 2
    assert all('"portal_partner"' not in sql and "list_rows_partners" not in sql for sql in rows)
    # Only the columns a row shows are read: not the search text, nor the contact's phone.
    for sql in [*rows, selectors._ROWS_OWN.sql]:
        assert '"search_text"' not in sql and '"contact_phone"' not in sql

    many_customers(northwind, 2)
    client.force_login(frank)
    response = client.get(URL)
    assert f"Customer of your reseller {northwind.name}" in response.text
