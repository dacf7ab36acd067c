"""Every endpoint's query count is fixed: it does not grow with the rows it returns."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests.api.payloads import attestation

pytestmark = pytest.mark.django_db


def queries(api, method, path, body=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        if method == "get":
            response = api.get(path)
        else:
            response = api.post_json(path, body)
    assert response.status_code < 300, response.content
    return len(captured)


def add_customers(partner, count):
    for _ in range(count):
        f.RelationshipFactory(partner=partner, customer=f.CustomerFactory())


def test_the_customers_page_costs_the_same_for_2_or_50_rows(api_as, alice, contoso, template_cz):
    api = api_as(alice)
    add_customers(contoso, 2)
    api.get("/v1/customers")  # the token's last-used stamp is written once a minute
    small = queries(api, "get", "/v1/customers?size=2")
    add_customers(contoso, 60)
    large = queries(api, "get", "/v1/customers?size=50")
    assert small == large <= 2


def test_a_continued_page_costs_the_same(api_as, alice, contoso, template_cz):
    api = api_as(alice)
    add_customers(contoso, 30)
    first = api.get("/v1/customers?size=10").json()
    assert queries(api, "get", first["links"]["next"]["uri"]) <= 2


def test_the_agreement_history_costs_the_same_for_1_or_20_records(api_as, alice, acme):
    api = api_as(alice)
    url = f"/v1/customers/{acme.tenant_id}/agreements"
    f.attest(acme, alice, first_name="One")
    api.get(url)
    small = queries(api, "get", url)
    for n in range(20):
        f.attest(acme, alice, first_name=f"Name{n}")
    assert queries(api, "get", url) == small <= 3


def test_the_agreements_list_costs_the_same_for_1_or_10_templates(api_as, alice, template_cz):
    api = api_as(alice)
    api.get("/v1/agreements")
    small = queries(api, "get", "/v1/agreements")
    # The factory's sequence keeps ranks unique however many tests ran before.
    f.AgreementTemplateFactory.create_batch(10)
    assert queries(api, "get", "/v1/agreements") == small <= 2


def test_the_offers_list_costs_the_same_for_1_or_20_offers(api_as, alice):
    api = api_as(alice)
    f.OfferFactory()
    api.get("/v1/offers?country=CZ")
    small = queries(api, "get", "/v1/offers?country=CZ")
    for _ in range(20):
        f.OfferFactory()
    assert queries(api, "get", "/v1/offers?country=CZ") == small <= 2


@pytest.mark.parametrize(
    ("path", "budget"),
    [
        ("/v1/customers/{tenant}", 2),
        ("/v1/customers/{tenant}/directSignedMicrosoftCustomerAgreementStatus", 3),
        ("/v1/customers/relationshiprequests", 1),
    ],
)
def test_single_resource_reads_have_a_small_fixed_budget(api_as, alice, acme, path, budget):
    api = api_as(alice)
    api.get("/v1/agreements")
    assert queries(api, "get", path.format(tenant=acme.tenant_id)) <= budget


def test_the_document_links_cost_two_queries(api_as, alice, template_cz):
    api = api_as(alice)
    api.get("/v1/agreements")
    path = f"/v1/agreementtemplates/{template_cz.template_id}/document?country=CZ"
    assert queries(api, "get", path) <= 2


def test_attesting_has_a_fixed_budget(api_as, alice, acme, template_cz):
    api = api_as(alice)
    api.get("/v1/agreements")
    url = f"/v1/customers/{acme.tenant_id}/agreements"
    f.attest(acme, alice, first_name="Earliest")
    first = queries(api, "post", url, attestation(template_cz))
    for n in range(5):
        f.attest(acme, alice, first_name=f"Earlier{n}")
    second = queries(api, "post", url, attestation(template_cz, primaryContact__firstName="Z"))
    assert second == first <= 25


def test_ordering_costs_the_same_for_one_or_five_lines(api_as, alice, acme):
    api = api_as(alice)
    f.attest(acme, alice)
    api.get("/v1/agreements")
    url = f"/v1/customers/{acme.tenant_id}/orders"
    offers = [f.OfferFactory(countries=["CZ"]) for _ in range(5)]
    one = queries(api, "post", url, {"lineItems": [{"offerId": offers[0].offer_id, "quantity": 1}]})
    five = queries(
        api, "post", url, {"lineItems": [{"offerId": o.offer_id, "quantity": 2} for o in offers]}
    )
    assert one == five <= 15


def test_creating_a_customer_has_a_fixed_budget(api_as, alice, contoso, template_cz):
    from tests.api.payloads import new_customer

    api = api_as(alice)
    api.get("/v1/agreements")
    first = queries(api, "post", "/v1/customers", new_customer())
    add_customers(contoso, 20)
    second = queries(
        api,
        "post",
        "/v1/customers",
        new_customer(companyProfile__domain="other.onmicrosoft.com"),
    )
    assert first == second <= 15
