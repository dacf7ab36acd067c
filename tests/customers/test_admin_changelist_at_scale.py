"""The operators' customer changelist stays fast at a million customers: a bounded count,
no date hierarchy scanning for its years, nothing that grows with the table."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.admin_mixins import BoundedCountPaginator
from tests import factories as f

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "/admin/customers/customer/",
    "/admin/customers/relationship/",
    "/admin/agreements/acceptance/",
    "/admin/agreements/evidencecheckpoint/",
]


@pytest.fixture
def many_customers(contoso, alice, template_cz):
    customers = [f.CustomerFactory(company_name=f"Firma {i:02d}") for i in range(6)]
    for customer in customers:
        f.RelationshipFactory(partner=contoso, customer=customer)
        f.attest(customer, alice)
    return customers


@pytest.mark.parametrize("url", CHANGELISTS)
def test_past_the_bound_the_changelist_says_more_than_and_never_counts_everything(
    client, operator, many_customers, monkeypatch, url
):
    monkeypatch.setattr(BoundedCountPaginator, "bound", 3)
    client.force_login(operator)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert "More than 3" in response.content.decode()
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 4" in sql for sql in counts), counts


def test_under_the_bound_the_changelist_gives_the_exact_count(client, operator, many_customers):
    client.force_login(operator)
    response = client.get("/admin/customers/customer/")
    assert "6 customers" in response.content.decode()


def test_the_customer_changelist_has_no_date_hierarchy_scanning_the_table(
    client, operator, many_customers
):
    client.force_login(operator)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/customers/customer/")
    assert response.status_code == 200
    sql = " ".join(q["sql"].upper() for q in queries.captured_queries)
    assert "MIN(" not in sql and "MAX(" not in sql and "DISTINCT" not in sql


def test_the_changelist_uses_the_same_queries_for_six_customers_or_sixty(
    client, operator, contoso, template_cz
):
    client.force_login(operator)

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/admin/customers/customer/").status_code == 200
        return len(queries.captured_queries)

    for _ in range(6):
        f.RelationshipFactory(partner=contoso, customer=f.CustomerFactory())
    few = queries_for_page()
    for _ in range(54):
        f.RelationshipFactory(partner=contoso, customer=f.CustomerFactory())
    assert queries_for_page() == few


@pytest.mark.parametrize("url", ["/admin/customers/customer/", "/admin/customers/relationship/"])
@pytest.mark.parametrize(
    ("query", "found"),
    [("horak", True), ("ORÁK", True), ("autoservis-horak.cz", True), ("nikdo", False)],
)
def test_the_admin_searches_as_the_customers_list_does(
    client, operator, contoso, template_cz, url, query, found
):
    horak = f.CustomerFactory(company_name="Autoservis Horák", domain="autoservis-horak.cz")
    f.RelationshipFactory(partner=contoso, customer=horak)
    f.RelationshipFactory(partner=contoso, customer=f.CustomerFactory(company_name="Jiná firma"))
    client.force_login(operator)
    page = client.get(url, {"q": query}).content.decode()
    assert ("Autoservis Horák" in page) is found
    assert "Jiná firma" not in page


def test_the_admin_finds_a_customer_by_the_beginning_of_its_tenant_id(
    client, operator, contoso, template_cz
):
    customer = f.CustomerFactory(company_name="Tenant Hledaný")
    f.RelationshipFactory(partner=contoso, customer=customer)
    client.force_login(operator)
    page = client.get("/admin/customers/customer/", {"q": str(customer.tenant_id)[:8]})
    assert "Tenant Hledaný" in page.content.decode()


def test_a_search_sorts_its_matches_instead_of_walking_the_name_index(
    client, operator, contoso, template_cz
):
    f.RelationshipFactory(partner=contoso, customer=f.CustomerFactory(company_name="Zelenina"))
    client.force_login(operator)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/admin/customers/customer/", {"q": "zelenina"})
    assert "Zelenina" in page.content.decode()
    listing = [q["sql"] for q in queries.captured_queries if "ORDER BY" in q["sql"]]
    # The matches come as ids and the order can't be read from an index (see the admin).
    assert any("COALESCE" in sql.split("ORDER BY")[1] for sql in listing), listing


@pytest.mark.parametrize("url", ["/admin/customers/customer/", "/admin/customers/relationship/"])
def test_a_searchs_count_neither_sorts_nor_lists_each_match(client, operator, many_customers, url):
    """The bounded count of a search's matches has no ORDER BY (sorting thousands of matches
    only to count them took most of the page), and on PostgreSQL the matches' ids travel as
    one array, not a placeholder each."""
    client.force_login(operator)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"q": "firma"})
    assert response.status_code == 200
    assert "Firma 00" in response.content.decode()
    [count] = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert "ORDER BY" not in count.upper()
    if connection.vendor == "postgresql":
        assert "unnest(" in count


def test_the_changelist_names_each_customers_country_and_sorts_by_it(client, operator, contoso):
    f.CustomerFactory(company_name="Aaa", country="SK")
    f.CustomerFactory(company_name="Bbb", country="CZ")
    client.force_login(operator)
    page = client.get("/admin/customers/customer/").content.decode()
    # The column is named as the field is, and shows the country's name, not its code.
    assert '<th scope="col" class="sortable column-country_name">' in page
    assert '<td class="field-country_name">Slovakia</td>' in page
    assert '<td class="field-country_name">Czechia</td>' in page
    # Sorted by the country column (the third): Czechia's customer first.
    by_country = client.get("/admin/customers/customer/?o=3").content.decode()
    assert by_country.index("Bbb") < by_country.index("Aaa")
    czech = client.get("/admin/customers/customer/", HTTP_ACCEPT_LANGUAGE="cs").content.decode()
    assert '<td class="field-country_name">Slovensko</td>' in czech
