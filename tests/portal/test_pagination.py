import pytest

from customers.models import Customer
from portal.pagination import BoundedPaginator
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_count_stops_at_the_limit_and_says_so(db):
    f.CustomerFactory.create_batch(7)
    paginator = BoundedPaginator(Customer.objects.order_by("id"), 2, limit=5)
    assert paginator.count == 5
    assert paginator.truncated is True
    assert paginator.num_pages == 3
    assert len(paginator.page(3).object_list) == 1


def test_a_short_list_is_counted_exactly(db):
    f.CustomerFactory.create_batch(3)
    paginator = BoundedPaginator(Customer.objects.order_by("id"), 2, limit=5)
    assert paginator.count == 3
    assert paginator.truncated is False


def test_the_customers_list_says_more_than_when_truncated(client, alice, contoso, monkeypatch):
    # The list counts through customers.selectors.list_page (tests/customers has the rest).
    for customer in f.CustomerFactory.create_batch(4):
        f.RelationshipFactory(partner=contoso, customer=customer)
    monkeypatch.setattr("customers.selectors.LIST_TOTAL_LIMIT", 2)
    monkeypatch.setattr("customers.views.PAGE_SIZE", 1)
    client.force_login(alice)
    page = client.get("/customers/").content.decode()
    assert "Page 1 of more than 2" in page
