import pytest

from tests import factories as f
from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["alice", "sam", "hana", "bill", "nora"])
def test_every_agent_reads_the_catalog_for_a_country(api_as, persona, request):
    sold = f.OfferFactory(name="Microsoft 365 E3", countries=["CZ", "DE"], unit_price="36.00")
    f.OfferFactory(name="US only", countries=["US"])
    f.OfferFactory(name="Withdrawn", countries=["CZ"], is_active=False)
    response = api_as(request.getfixturevalue(persona)).get("/v1/offers?country=CZ")
    assert response.status_code == 200
    body = response.json()
    assert body["totalCount"] == 1
    assert body["items"] == [
        {
            "id": sold.offer_id,
            "name": "Microsoft 365 E3",
            "productType": "license",
            "unitPrice": "36.00",
            "currency": "USD",
        }
    ]


def test_without_a_country_every_active_offer_is_listed(api_as, alice):
    f.OfferFactory(countries=["CZ"])
    f.OfferFactory(countries=["US"])
    assert api_as(alice).get("/v1/offers").json()["totalCount"] == 2


def test_a_lower_case_country_is_understood(api_as, alice):
    f.OfferFactory(countries=["CZ"])
    assert api_as(alice).get("/v1/offers?country=cz").json()["totalCount"] == 1


def test_an_unknown_country_is_400(api_as, alice):
    body = assert_error(api_as(alice).get("/v1/offers?country=Narnia"), 400, 800002)
    assert "country" in body["description"]


def test_offers_need_a_token(anonymous_api):
    assert_error(anonymous_api.get("/v1/offers"), 401)
