"""The records collection pages by a signed continuation token, like every collection."""

import pytest
from django.core import signing

from portal.api.pagination import CONTINUATION_SALT
from tests import factories as f
from tests.api.conftest import assert_error

URL = "/v1/partners/customeragreementrecords"


@pytest.fixture
def many(contoso, northwind, template_cz):
    for number in range(5):
        f.RelationshipFactory(
            partner=contoso, customer=f.CustomerFactory(company_name=f"Contoso {number}")
        )


def walk(client, first: str) -> list[list[str]]:
    pages, url = [], first
    while url:
        body = client.get(url).json()
        pages.append([item["companyName"] for item in body["items"]])
        url = body.get("links", {}).get("next", {}).get("uri")
    return pages


def test_pages_follow_links_next_to_the_end(api_as, alice, many):
    assert walk(api_as(alice), URL + "?size=2") == [
        ["Contoso 0", "Contoso 1"],
        ["Contoso 2", "Contoso 3"],
        ["Contoso 4"],
    ]


def test_the_token_also_works_as_a_header(api_as, alice, many):
    client = api_as(alice)
    token = client.get(URL + "?size=3").json()["links"]["next"]["headers"][0]["value"]
    body = client.get(URL + "?size=3", headers={"MS-ContinuationToken": token}).json()
    assert [item["companyName"] for item in body["items"]] == ["Contoso 3", "Contoso 4"]


def test_a_providers_pages_run_on_into_its_resellers_customers(
    api_as, frank, fabrikam, northwind, template_cz
):
    for number in range(3):
        f.RelationshipFactory(partner=fabrikam, customer=f.CustomerFactory(company_name=f"F{number}"))
        f.RelationshipFactory(partner=northwind, customer=f.CustomerFactory(company_name=f"N{number}"))
    assert walk(api_as(frank), URL + "?size=4") == [["F0", "F1", "F2", "N0"], ["N1", "N2"]]


def test_filters_go_along_to_the_next_page(api_as, alice, many, contoso):
    f.RelationshipFactory(partner=contoso, customer=f.CustomerFactory(company_name="Other"))
    pages = walk(api_as(alice), URL + "?size=2&search=contoso")
    assert pages == [["Contoso 0", "Contoso 1"], ["Contoso 2", "Contoso 3"], ["Contoso 4"]]


@pytest.mark.parametrize("token", ["garbage", "", "a:b:c"])
def test_a_bad_token_is_400(api_as, alice, many, token):
    response = api_as(alice).get(URL, {"continuationToken": token or "x"})
    assert_error(response, 400, 800002)


def test_another_partners_token_is_400(api_as, alice, lisa, many, litware, template_cz):
    for number in range(3):
        f.RelationshipFactory(partner=litware, customer=f.CustomerFactory(company_name=f"L{number}"))
    token = api_as(lisa).get(URL + "?size=1").json()["links"]["next"]["headers"][0]["value"]
    assert_error(api_as(alice).get(URL, {"continuationToken": token}), 400, 800002)


def test_a_signed_token_of_the_wrong_shape_is_400(api_as, alice, many):
    salt = f"{CONTINUATION_SALT}.agreementrecords.{alice.partner_id}"
    for payload in (["x", "y"], [alice.partner_id, 1, "z"], "text", [999999, "a", 1]):
        token = signing.dumps(payload, salt=salt, compress=True)
        assert_error(api_as(alice).get(URL, {"continuationToken": token}), 400, 800002)


@pytest.mark.parametrize(
    "query",
    ["?size=0", "?size=1001", "?size=many", "?agreementStatus=signed", "?country=XX",
     "?search=" + "x" * 201],
)
def test_bad_parameters_are_400(api_as, alice, many, query):
    assert_error(api_as(alice).get(URL + query), 400, 800002)


def test_a_call_without_a_token_is_401(anonymous_api, db):
    assert_error(anonymous_api.get(URL), 401)
