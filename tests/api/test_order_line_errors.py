"""POST /v1/customers/{id}/orders names each problem with the line items once."""

import pytest

from orders.models import Order, OrderLine
from portal.models import IdempotencyRecord
from tests import factories as f
from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db

COPIES = 50  # x2 offers = customers.api.MAX_LINE_ITEMS


@pytest.fixture
def e3(db):
    return f.OfferFactory(offer_id="M365-E3", name="Microsoft 365 E3", countries=["CZ"])


@pytest.fixture
def visio(db):
    return f.OfferFactory(offer_id="VISIO-P2", name="Visio Plan 2", countries=["DE"])


@pytest.fixture
def attested_acme(acme, alice):
    f.attest(acme, alice)
    return acme


def url(customer) -> str:
    return f"/v1/customers/{customer.tenant_id}/orders"


def lines(*offer_ids: str, quantity: int = 1) -> dict:
    return {"lineItems": [{"offerId": offer_id, "quantity": quantity} for offer_id in offer_ids]}


def test_an_offer_repeated_many_times_is_reported_once(api_as, alice, attested_acme, e3):
    response = api_as(alice).post_json(url(attested_acme), lines(*["M365-E3"] * COPIES))
    body = assert_error(response, 400, 800002)
    assert body["data"] == [
        "lineItems: Microsoft 365 E3 appears more than once; give it one quantity."
    ]
    assert body["description"] == body["data"][0]
    assert not Order.objects.exists()
    assert not OrderLine.objects.exists()


def test_each_distinct_problem_is_reported_once_in_the_order_found(
    api_as, alice, attested_acme, e3, visio
):
    body = lines(*["VISIO-P2", "M365-E3"] * COPIES)
    response = api_as(alice).post_json(url(attested_acme), body)
    error = assert_error(response, 400, 800002)
    assert error["data"] == [
        "lineItems: Visio Plan 2 is not available in Czechia.",
        "lineItems: Visio Plan 2 appears more than once; give it one quantity.",
        "lineItems: Microsoft 365 E3 appears more than once; give it one quantity.",
    ]
    assert error["description"] == " ".join(error["data"])
    assert not Order.objects.exists()


def test_an_unknown_offer_repeated_is_reported_once_at_its_first_line(
    api_as, alice, attested_acme, e3
):
    body = lines("M365-E3", *["NOPE"] * COPIES, "GONE", "GONE")
    error = assert_error(api_as(alice).post_json(url(attested_acme), body), 400, 800002)
    assert error["data"] == [
        "lineItems[1].offerId: No offer with the id 'NOPE'.",
        f"lineItems[{COPIES + 1}].offerId: No offer with the id 'GONE'.",
    ]
    assert not Order.objects.exists()


def test_the_deduplicated_answer_is_what_a_retry_replays(api_as, alice, attested_acme, e3):
    api = api_as(alice)
    body = lines(*["M365-E3"] * COPIES)
    first = api.post_json(url(attested_acme), body, headers={"MS-RequestId": "dup-1"})
    retry = api.post_json(url(attested_acme), body, headers={"MS-RequestId": "dup-1"})
    assert_error(first, 400, 800002)
    assert retry.json() == first.json()
    assert len(IdempotencyRecord.objects.get().response_body["data"]) == 1
    assert not Order.objects.exists()


def test_distinct_offers_once_each_still_order(api_as, alice, attested_acme, e3):
    f.OfferFactory(offer_id="TEAMS", name="Teams Essentials", countries=["CZ"])
    response = api_as(alice).post_json(url(attested_acme), lines("M365-E3", "TEAMS"))
    assert response.status_code == 201, response.content
    assert OrderLine.objects.count() == 2


def test_helpdesk_is_refused_before_the_lines_are_looked_at(api_as, hana, attested_acme, e3):
    response = api_as(hana).post_json(url(attested_acme), lines(*["M365-E3"] * COPIES))
    assert_error(response, 403, 403)
    assert not Order.objects.exists()


def test_an_order_of_more_than_a_hundred_lines_is_refused_in_one_message(api_as, alice, acme):
    from orders.api import MAX_LINE_ITEMS

    response = api_as(alice).post_json(url(acme), lines(*["X"] * (MAX_LINE_ITEMS + 1)))
    error = assert_error(response, 400, 800002)
    assert len(error["data"]) == 1 and "lineItems" in error["data"][0]
