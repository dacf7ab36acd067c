"""GET /v1/customers/{id}/agreements comes in pages with continuation tokens, like the
customers list, and a page costs the same however long the history is (issue 11)."""

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.api import HISTORY_MAX_PAGE_SIZE, HISTORY_PAGE_SIZE
from tests import factories as f
from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db


def url(customer, query=""):
    return f"/v1/customers/{customer.tenant_id}/agreements{query}"


def names(body) -> list[str]:
    return [item["primaryContact"]["firstName"] for item in body["items"]]


@pytest.fixture
def long_history(acme, alice):
    return f.attest_many(acme, alice, 1000)


def test_the_history_comes_newest_first_a_page_at_a_time(api_as, alice, acme, long_history):
    body = api_as(alice).get(url(acme)).json()
    assert body["totalCount"] == HISTORY_PAGE_SIZE
    assert names(body) == [f"Record{n:04d}" for n in range(1000, 1000 - HISTORY_PAGE_SIZE, -1)]
    assert body["attributes"] == {"objectType": "Collection"}
    next_link = body["links"]["next"]
    assert next_link["method"] == "GET"
    assert next_link["headers"][0]["key"] == "MS-ContinuationToken"


def test_links_next_reach_the_oldest_record(api_as, alice, acme, long_history):
    api = api_as(alice)
    body = api.get(url(acme, "?size=100")).json()
    seen, pages = names(body), 1
    while "links" in body:
        body = api.get(body["links"]["next"]["uri"]).json()
        seen += names(body)
        pages += 1
    assert pages == 10
    assert seen == [f"Record{n:04d}" for n in range(1000, 0, -1)]


def test_the_token_works_as_a_header_too(api_as, alice, acme, long_history):
    api = api_as(alice)
    header = api.get(url(acme, "?size=5")).json()["links"]["next"]["headers"][0]
    body = api.get(url(acme, "?size=5"), headers={header["key"]: header["value"]}).json()
    assert names(body) == [f"Record{n:04d}" for n in range(995, 990, -1)]


def test_the_agreement_type_goes_along_in_links_next(api_as, alice, acme, long_history):
    api = api_as(alice)
    body = api.get(url(acme, "?agreementType=MicrosoftCustomerAgreement&size=2")).json()
    assert "agreementType=MicrosoftCustomerAgreement" in body["links"]["next"]["uri"]
    assert names(api.get(body["links"]["next"]["uri"]).json()) == ["Record0998", "Record0997"]


def test_a_record_added_while_paging_is_neither_skipped_nor_repeated(api_as, alice, acme):
    for number in range(3):
        f.attest(acme, alice, first_name=f"Early{number}")
    api = api_as(alice)
    first = api.get(url(acme, "?size=2")).json()
    assert names(first) == ["Early2", "Early1"]
    f.attest(acme, alice, first_name="Late")  # newer than every page already handed out
    assert names(api.get(first["links"]["next"]["uri"]).json()) == ["Early0"]


def test_the_receipt_of_a_record_on_a_later_page_downloads(api_as, alice, acme, long_history):
    api = api_as(alice)
    body = api.get(url(acme, "?size=100")).json()
    while "links" in body:
        body = api.get(body["links"]["next"]["uri"]).json()
    oldest = body["items"][-1]
    assert oldest["id"] == str(long_history[0].public_id)
    receipt = api.get(url(acme, f"/{oldest['id']}/receipt"))
    assert receipt.status_code == 200
    assert receipt.json()["record"]["recordId"] == oldest["id"]


def test_a_page_costs_the_same_queries_for_1_or_1000_records(
    api_as, alice, acme, long_history, django_assert_num_queries
):
    short = f.CustomerFactory()
    f.RelationshipFactory(partner=alice.partner, customer=short)
    f.attest(short, alice)
    api = api_as(alice)
    api.get(url(short))  # the token's last-used stamp is written once a minute
    with CaptureQueriesContext(connection) as one:
        api.get(url(short))
    queries = len(one)  # read now: every request empties the log it slices
    with django_assert_num_queries(queries):
        first = api.get(url(acme)).json()
    deep = url(acme, "?size=20")
    for _ in range(30):
        deep = api.get(deep).json()["links"]["next"]["uri"]
    with django_assert_num_queries(queries):
        assert len(api.get(deep).json()["items"]) == HISTORY_PAGE_SIZE
    assert len(first["items"]) == HISTORY_PAGE_SIZE


@pytest.mark.parametrize("size", ["0", str(HISTORY_MAX_PAGE_SIZE + 1), "ten"])
def test_a_bad_page_size_is_400(api_as, alice, acme, size):
    body = assert_error(api_as(alice).get(url(acme, f"?size={size}")), 400, 800002)
    assert f"from 1 to {HISTORY_MAX_PAGE_SIZE}" in body["description"]


def test_a_forged_continuation_token_is_400(api_as, alice, acme):
    response = api_as(alice).get(url(acme), headers={"MS-ContinuationToken": "forged"})
    body = assert_error(response, 400, 800002)
    assert "ContinuationToken" in body["description"]


def test_a_token_of_another_customers_history_is_400(api_as, alice, acme, contoso):
    other = f.CustomerFactory()
    f.RelationshipFactory(partner=contoso, customer=other)
    for number in range(2):
        f.attest(other, alice, first_name=f"Other{number}")
    api = api_as(alice)
    header = api.get(url(other, "?size=1")).json()["links"]["next"]["headers"][0]
    assert_error(api.get(url(acme), headers={header["key"]: header["value"]}), 400, 800002)


def test_a_customers_list_token_is_no_history_token(api_as, alice, acme, contoso):
    f.RelationshipFactory(partner=contoso, customer=f.CustomerFactory())
    api = api_as(alice)
    token = api.get("/v1/customers?size=1").json()["links"]["next"]["headers"][0]["value"]
    assert_error(api.get(url(acme), headers={"MS-ContinuationToken": token}), 400, 800002)


def test_a_token_of_another_partner_is_400(api_as, alice, lisa, acme, long_history):
    f.RelationshipFactory(partner=lisa.partner, customer=acme)
    token = api_as(alice).get(url(acme, "?size=1")).json()["links"]["next"]["headers"][0]
    response = api_as(lisa).get(url(acme), headers={token["key"]: token["value"]})
    assert_error(response, 400, 800002)


def test_a_signed_token_holding_no_moment_is_400(api_as, alice, acme):
    forged = signing.dumps(
        ["not a moment", 1],
        salt=f"portal.api.continuation.agreements.{alice.partner_id}.{acme.tenant_id}",
        compress=True,
    )
    response = api_as(alice).get(url(acme), headers={"MS-ContinuationToken": forged})
    assert_error(response, 400, 800002)


def test_another_partners_customer_is_404_with_a_token_too(api_as, alice, lisa, acme, globex):
    token = signing.dumps(["2026-01-01T00:00:00+00:00", 1], salt="anything")
    response = api_as(alice).get(url(globex), headers={"MS-ContinuationToken": token})
    assert_error(response, 404, 60003)


def test_the_schema_documents_the_page_size(anonymous_api):
    schema = anonymous_api.get("/v1/openapi.json").json()
    operation = schema["paths"]["/v1/customers/{tenant_id}/agreements"]["get"]
    size = next(p for p in operation["parameters"] if p["name"] == "size")["schema"]
    assert (size["minimum"], size["maximum"], size["default"]) == (
        1,
        HISTORY_MAX_PAGE_SIZE,
        HISTORY_PAGE_SIZE,
    )
    parameters = {p["name"] for p in operation["parameters"]}
    assert {"continuationToken", "MS-ContinuationToken", "agreementType"} <= parameters
    collection = schema["components"]["schemas"]["AgreementCollection"]
    assert "links" in collection["properties"]
