import pytest

from orders.models import Order
from tests import factories as f
from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def e3(db):
    return f.OfferFactory(offer_id="M365-E3", name="Microsoft 365 E3", countries=["CZ"])


def url(customer):
    return f"/v1/customers/{customer.tenant_id}/orders"


def order(e3, quantity=5):
    return {"lineItems": [{"offerId": e3.offer_id, "quantity": quantity}]}


@pytest.mark.parametrize("persona", ["alice", "sam"])
def test_admin_and_sales_agents_order_once_the_agreement_is_on_record(
    api_as, persona, request, acme, alice, contoso, e3
):
    f.attest(acme, alice)
    agent = request.getfixturevalue(persona)
    response = api_as(agent).post_json(url(acme), order(e3))
    assert response.status_code == 201, response.content
    body = response.json()
    placed = Order.objects.get()
    assert body["id"] == str(placed.order_id)
    assert body["referenceCustomerId"] == str(acme.tenant_id)
    assert body["lineItems"] == [
        {
            "lineItemNumber": 0,
            "offerId": "M365-E3",
            "quantity": 5,
            "unitPrice": "10.00",
            "currency": "USD",
        }
    ]
    assert (placed.partner, placed.placed_by, placed.channel) == (contoso, agent, "api")


def test_the_order_gate_refuses_with_13605_and_says_how_to_unblock(api_as, sam, acme, e3):
    response = api_as(sam).post_json(url(acme), order(e3))
    body = assert_error(response, 403, 13605)
    assert "Acme s.r.o." in body["description"]
    assert "attest" in body["description"]
    assert not Order.objects.exists()


def test_a_provider_orders_for_its_resellers_customer_on_the_resellers_relationship(
    api_as, frank, northwind, initech, e3
):
    assert_error(api_as(frank).post_json(url(initech), order(e3)), 403, 13605)
    f.attest(initech, frank)
    response = api_as(frank).post_json(url(initech), order(e3))
    assert response.status_code == 201
    assert Order.objects.get().partner == northwind


def test_an_indirect_reseller_cannot_order_and_is_told_its_provider(api_as, nora, initech, e3):
    body = assert_error(api_as(nora).post_json(url(initech), order(e3)), 403, 403)
    assert "Fabrikam Distribution" in body["description"]


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_helpdesk_and_billing_cannot_order(api_as, persona, request, acme, alice, e3):
    f.attest(acme, alice)
    response = api_as(request.getfixturevalue(persona)).post_json(url(acme), order(e3))
    assert_error(response, 403, 403)
    assert not Order.objects.exists()


def test_another_partners_customer_is_404(api_as, alice, globex, lisa, e3):
    f.attest(globex, lisa)
    assert_error(api_as(alice).post_json(url(globex), order(e3)), 404, 60003)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"lineItems": []}, "lineItems"),
        ({}, "lineItems"),
        ({"lineItems": [{"offerId": "NOPE", "quantity": 1}]}, "lineItems[0].offerId"),
        ({"lineItems": [{"offerId": "M365-E3", "quantity": 0}]}, "lineItems[0].quantity"),
        ({"lineItems": [{"offerId": "M365-E3", "quantity": "many"}]}, "lineItems[0].quantity"),
        ({"lineItems": [{"offerId": "M365-E3"}]}, "lineItems[0].quantity"),
    ],
)
def test_bad_input_is_400_naming_the_field(api_as, alice, acme, e3, body, field):
    f.attest(acme, alice)
    response = api_as(alice).post_json(url(acme), body)
    error = assert_error(response, 400, 800002)
    assert field in error["description"]
    assert not Order.objects.exists()


def test_an_offer_not_sold_in_the_customers_country_is_400(api_as, alice, acme):
    f.attest(acme, alice)
    us_only = f.OfferFactory(countries=["US"])
    error = assert_error(api_as(alice).post_json(url(acme), order(us_only)), 400, 800002)
    assert "not available" in error["description"]
    assert not Order.objects.exists()


def test_the_same_offer_twice_is_400(api_as, alice, acme, e3):
    f.attest(acme, alice)
    body = {"lineItems": [{"offerId": "M365-E3", "quantity": 1}] * 2}
    assert_error(api_as(alice).post_json(url(acme), body), 400, 800002)


def test_ordering_needs_a_token(anonymous_api, acme, e3):
    assert_error(anonymous_api.post_json(url(acme), order(e3)), 401)
