"""The invitations list's query count doesn't grow with its rows, searched or not, and its
pages keep the search, filters and sort."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from invitations import views
from tests import factories as f

pytestmark = pytest.mark.django_db


def add_invitations(agent, count):
    for number in range(count):
        customer = f.CustomerFactory(company_name=f"Horák {number}")
        f.RelationshipFactory(partner=agent.partner, customer=customer)
        f.InvitationFactory(partner=agent.partner, customer=customer, created_by=agent)


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "query", ["", "?q=horak&kind=existing_customer&status=pending&sort=expires"]
)
def test_the_same_queries_for_2_or_25_rows(client, sam, query):
    client.force_login(sam)
    add_invitations(sam, 2)
    small = queries(client, f"/invitations/{query}")
    add_invitations(sam, 23)
    assert queries(client, f"/invitations/{query}") == small


def test_the_next_page_keeps_search_filters_and_sort(client, sam):
    add_invitations(sam, views.PAGE_SIZE + 1)
    client.force_login(sam)
    response = client.get("/invitations/?q=horak&kind=existing_customer&sort=expires")
    assert 'href="?q=horak&amp;kind=existing_customer&amp;sort=expires&amp;page=2"' in response.text
