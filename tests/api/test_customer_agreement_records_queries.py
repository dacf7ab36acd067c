"""The records page costs the same few queries for 2 records or 50: the page's relationships,
then the newest acceptance of each of their customers, in one query each."""

import pytest

from tests import factories as f

URL = "/v1/partners/customeragreementrecords"


def add_customers(partner, agent, count, start=0):
    for number in range(start, start + count):
        customer = f.CustomerFactory(company_name=f"Customer {number:03d}")
        f.RelationshipFactory(partner=partner, customer=customer)
        f.attest(customer, agent)


@pytest.mark.parametrize("size", [2, 50])
def test_a_page_costs_the_same_for_2_or_50_records(
    api_as, alice, contoso, template_cz, size, django_assert_num_queries
):
    api = api_as(alice)
    add_customers(contoso, alice, 60)
    api.get(URL)  # the token's last-used stamp is written once a minute
    # The token, the relationships, their acceptances.
    with django_assert_num_queries(3):
        first = api.get(f"{URL}?size={size}").json()
    assert len(first["items"]) == size
    with django_assert_num_queries(3):
        api.get(first["links"]["next"]["uri"])


def test_a_page_that_crosses_into_a_resellers_customers_costs_two_more(
    api_as, frank, fabrikam, northwind, template_cz, django_assert_num_queries
):
    api = api_as(frank)
    add_customers(fabrikam, frank, 3)
    add_customers(northwind, frank, 3, start=10)
    api.get(URL)
    # The token, the provider's resellers, then two a part.
    with django_assert_num_queries(6):
        assert len(api.get(f"{URL}?size=5").json()["items"]) == 5
