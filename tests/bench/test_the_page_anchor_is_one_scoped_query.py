"""Issue 12's anchor for the dashboard ("a bare one-query view rendering a page of the same
size") is a floor only if it does what the page does for those rows and nothing more: the same
scoping, one query, the rows rendered as HTML."""

from django.test import RequestFactory

from bench.views import customer_page
from tests import factories as f


def test_the_page_anchor_renders_only_the_agents_customers_in_one_query(
    alice, lisa, django_assert_num_queries
):
    mine = [f.RelationshipFactory(partner=alice.partner).customer for _ in range(3)]
    theirs = f.RelationshipFactory(partner=lisa.partner).customer
    ids = ",".join(str(c.tenant_id) for c in [mine[2], theirs, mine[0], mine[1]])
    request = RequestFactory().get("/bench/anchor/customer-page/", {"ids": ids})
    request.user = alice

    with django_assert_num_queries(1):
        response = customer_page(request)

    page = response.content.decode()
    assert response.status_code == 200
    assert theirs.company_name not in page
    shown = [page.index(c.company_name) for c in (mine[2], mine[0], mine[1])]
    assert shown == sorted(shown), "in the order asked for"


def test_the_page_anchor_renders_the_first_rows_of_the_agents_list_in_one_query(
    alice, lisa, django_assert_num_queries
):
    mine = [
        f.RelationshipFactory(partner=alice.partner, customer__company_name=name).customer
        for name in ("Cyan", "Amber", "Beige")
    ]
    f.RelationshipFactory(partner=lisa.partner, customer__company_name="Aaa Theirs")
    request = RequestFactory().get("/bench/anchor/customer-page/", {"rows": "2"})
    request.user = alice

    with django_assert_num_queries(1):
        response = customer_page(request)

    page = response.content.decode()
    assert "Aaa Theirs" not in page
    assert page.index("Amber") < page.index("Beige")
    assert mine[0].company_name not in page, "only the first two, in the list's name order"


def test_the_dashboards_anchor_is_fitted_to_the_dashboards_size():
    """Two tries learn the anchor's bytes per row; the call asks for the rows that make as many
    bytes as the page measured."""
    from email.message import Message

    from bench.http import Answer
    from bench.operations import page_of_the_same_size

    def fetch(call):
        rows = int(call.path.rsplit("=", 1)[1])
        return Answer(200, b"x" * (500 + 200 * rows), 0.01, Message())

    call = page_of_the_same_size(Answer(200, b"y" * (500 + 200 * 147), 0.05, Message()), fetch)

    assert call.path == "/bench/anchor/customer-page/?rows=147"
