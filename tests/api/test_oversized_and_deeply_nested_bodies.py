"""Bodies the JSON parser can't take are the client's error (413, 400), never a 500."""

import json

import pytest
from django.conf import settings

from agreements.models import Acceptance
from customers.models import Customer
from orders.models import Order
from portal.api.views import MAX_JSON_DEPTH
from portal.models import IdempotencyRecord
from tests.api.conftest import assert_error
from tests.api.payloads import new_customer

pytestmark = pytest.mark.django_db


def too_big() -> dict:
    return new_customer(companyProfile__companyName="x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.fixture
def post_urls(acme):
    return [
        "/v1/customers",
        f"/v1/customers/{acme.tenant_id}/agreements",
        f"/v1/customers/{acme.tenant_id}/orders",
    ]


def nothing_saved() -> bool:
    return (
        Customer.objects.count() == 1  # acme
        and not Acceptance.objects.exists()
        and not Order.objects.exists()
        and not IdempotencyRecord.objects.exists()
    )


def test_a_body_over_the_upload_limit_is_a_json_413_on_every_post(api_as, alice, post_urls, caplog):
    api = api_as(alice)
    for url in post_urls:
        response = api.post_json(url, too_big(), headers={"MS-RequestId": "big-1"})
        body = assert_error(response, 413, 413)
        assert "too large" in body["description"]
        assert str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE) in body["description"]
        assert response["MS-RequestId"] == "big-1"
    assert nothing_saved()
    assert "Unhandled error" not in caplog.text


def test_a_request_id_refused_for_a_too_large_body_is_still_free_for_the_real_request(
    api_as, alice, template_cz
):
    api = api_as(alice)
    assert_error(
        api.post_json("/v1/customers", too_big(), headers={"MS-RequestId": "big-2"}), 413, 413
    )
    retry = api.post_json("/v1/customers", new_customer(), headers={"MS-RequestId": "big-2"})
    assert retry.status_code == 201, retry.content
    assert retry.json()["userCredentials"]["password"]
    assert Customer.objects.get().company_name == "Wingtip Toys s.r.o."


def test_a_body_at_the_upload_limit_is_read_and_judged_on_its_fields(api_as, alice, template_cz):
    body = new_customer(companyProfile__companyName="")
    padding = settings.DATA_UPLOAD_MAX_MEMORY_SIZE - len(json.dumps(body))
    body["companyProfile"]["companyName"] = "x" * padding
    assert len(json.dumps(body)) == settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = api_as(alice).post_json("/v1/customers", body)
    error = assert_error(response, 400, 800002)
    assert error["description"].startswith("companyProfile.companyName:")
    assert not Customer.objects.exists()


@pytest.mark.parametrize("depth", [100_000, 5_000, 990, MAX_JSON_DEPTH + 1])
def test_json_nested_too_deeply_is_a_400_on_every_post(api_as, alice, post_urls, depth, caplog):
    api = api_as(alice)
    for url in post_urls:
        response = api.post(
            url, nested(depth), content_type="application/json", headers={"MS-RequestId": "deep"}
        )
        body = assert_error(response, 400, 800002)
        assert "malformed JSON" in body["description"]
        assert f"more than {MAX_JSON_DEPTH} levels deep" in body["description"]
    assert nothing_saved()
    assert "Unhandled error" not in caplog.text


def test_deep_nesting_inside_a_field_is_caught_too(api_as, alice, acme):
    response = api_as(alice).post(
        f"/v1/customers/{acme.tenant_id}/agreements",
        '{"primaryContact": {"firstName": ' + nested(50_000) + "}}",
        content_type="application/json",
    )
    assert "malformed JSON" in assert_error(response, 400, 800002)["description"]
    assert not Acceptance.objects.exists()


def test_json_nested_up_to_the_limit_is_parsed_and_judged_on_its_fields(api_as, alice, template_cz):
    body = new_customer()
    # The body object and companyProfile are two levels; the list fills the rest.
    body["companyProfile"]["companyName"] = json.loads(nested(MAX_JSON_DEPTH - 2))
    error = assert_error(api_as(alice).post_json("/v1/customers", body), 400, 800002)
    assert error["description"].startswith("companyProfile.companyName:")
    assert "levels deep" not in error["description"]


def test_a_request_id_refused_for_a_too_deep_body_is_still_free_for_the_real_request(
    api_as, alice, template_cz
):
    api = api_as(alice)
    deep = api.post(
        "/v1/customers",
        nested(100_000),
        content_type="application/json",
        headers={"MS-RequestId": "deep-2"},
    )
    assert_error(deep, 400, 800002)
    assert not IdempotencyRecord.objects.exists()
    retry = api.post_json("/v1/customers", new_customer(), headers={"MS-RequestId": "deep-2"})
    assert retry.status_code == 201, retry.content
