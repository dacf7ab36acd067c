"""The deep-page fix (issue 11) changed the query, not the token: a continuation token handed
out before it, [company name, id] signed for the partner's customers, still continues."""

import pytest
from django.core import signing

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_token_in_the_earlier_format_continues_after_its_customer(api_as, alice, contoso):
    customers = []
    for name in ["Alpha", "Bravo", "Bravo", "Charlie"]:
        customer = f.CustomerFactory(company_name=name)
        f.RelationshipFactory(partner=contoso, customer=customer)
        customers.append(customer)
    first_bravo = min(customers[1:3], key=lambda customer: customer.pk)
    token = signing.dumps(
        ["Bravo", first_bravo.pk],
        salt=f"portal.api.continuation.customers.{contoso.pk}",
        compress=True,
    )
    response = api_as(alice).get("/v1/customers", headers={"MS-ContinuationToken": token})
    assert response.status_code == 200
    names = [item["companyProfile"]["companyName"] for item in response.json()["items"]]
    assert names == ["Bravo", "Charlie"]
