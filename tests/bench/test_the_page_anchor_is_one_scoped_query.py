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
