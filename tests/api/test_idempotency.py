import datetime
import json
import threading
import time

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.utils import timezone

from agreements.models import Acceptance, EvidenceChainHead
from customers import api as customers_api
from customers.models import Customer
from portal.models import IdempotencyRecord
from tests.api.conftest import assert_error
from tests.api.payloads import attestation, new_customer


def test_a_retried_post_replays_the_first_answer_and_does_nothing_again(
    api_as, alice, acme, template_cz
):
    api = api_as(alice)
    url = f"/v1/customers/{acme.tenant_id}/agreements"
    first = api.post_json(url, attestation(template_cz), headers={"MS-RequestId": "r-1"})
    retry = api.post_json(url, attestation(template_cz), headers={"MS-RequestId": "r-1"})
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["MS-Idempotent-Replay"] == "true"
    assert retry["MS-RequestId"] == "r-1"
    assert Acceptance.objects.count() == 1


def test_without_a_request_id_a_repeat_is_a_new_call(api_as, alice, acme, template_cz):
    api = api_as(alice)
    url = f"/v1/customers/{acme.tenant_id}/agreements"
    assert api.post_json(url, attestation(template_cz)).status_code == 201
    assert_error(api.post_json(url, attestation(template_cz)), 409, 600061)
    assert not IdempotencyRecord.objects.exists()


def test_reformatted_json_is_the_same_request(api_as, alice, acme, template_cz):
    api = api_as(alice)
    url = f"/v1/customers/{acme.tenant_id}/agreements"
    body = attestation(template_cz)
    api.post_json(url, body, headers={"MS-RequestId": "r-2"})
    retry = api.post(
        url,
        json.dumps(body, indent=4),
        content_type="application/json",
        headers={"MS-RequestId": "r-2"},
    )
    assert retry.status_code == 201


def test_the_same_id_with_another_body_is_422(api_as, alice, acme, template_cz):
    api = api_as(alice)
    url = f"/v1/customers/{acme.tenant_id}/agreements"
    api.post_json(url, attestation(template_cz), headers={"MS-RequestId": "r-3"})
    other = attestation(template_cz, primaryContact__firstName="Eva")
    body = assert_error(api.post_json(url, other, headers={"MS-RequestId": "r-3"}), 422, 422)
    assert "MS-RequestId" in body["description"]
    assert Acceptance.objects.count() == 1


def test_the_same_id_on_another_endpoint_is_422(api_as, alice, acme, template_cz):
    api = api_as(alice)
    api.post_json("/v1/customers", new_customer(), headers={"MS-RequestId": "r-4"})
    response = api.post_json(
        f"/v1/customers/{acme.tenant_id}/agreements",
        new_customer(),
        headers={"MS-RequestId": "r-4"},
    )
    assert_error(response, 422, 422)


def test_request_ids_belong_to_one_agent(api_as, alice, sam, acme, template_cz):
    url = f"/v1/customers/{acme.tenant_id}/agreements"
    api_as(alice).post_json(url, attestation(template_cz), headers={"MS-RequestId": "r-5"})
    response = api_as(sam).post_json(url, attestation(template_cz), headers={"MS-RequestId": "r-5"})
    assert_error(response, 409, 600061)  # Sam's call ran; it was not Alice's replay


def test_an_error_answer_is_replayed_too(api_as, alice, acme, template_cz):
    api = api_as(alice)
    url = f"/v1/customers/{acme.tenant_id}/agreements"
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    body = attestation(template_cz, dateAgreed=future)
    first = api.post_json(url, body, headers={"MS-RequestId": "r-6"})
    assert_error(first, 400, 800002)
    retry = api.post_json(url, body, headers={"MS-RequestId": "r-6"})
    assert retry.status_code == 400 and retry.json() == first.json()


def test_after_24_hours_the_id_is_fresh_again(api_as, alice, acme, template_cz):
    api = api_as(alice)
    url = f"/v1/customers/{acme.tenant_id}/agreements"
    body = attestation(template_cz)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        api.post_json(url, body, headers={"MS-RequestId": "r-7"})
    with time_machine.travel(start + datetime.timedelta(hours=23, minutes=59), tick=False):
        replay = api.post_json(url, body, headers={"MS-RequestId": "r-7"})
        assert replay.status_code == 201
    with time_machine.travel(start + datetime.timedelta(hours=24, minutes=1), tick=False):
        again = api.post_json(url, body, headers={"MS-RequestId": "r-7"})
        assert_error(again, 409, 600061)  # the work ran again and met the duplicate rule


def test_a_replayed_customer_creation_never_returns_the_password_again(api_as, alice, template_cz):
    api = api_as(alice)
    first = api.post_json("/v1/customers", new_customer(), headers={"MS-RequestId": "r-8"})
    password = first.json()["userCredentials"]["password"]
    assert password
    retry = api.post_json("/v1/customers", new_customer(), headers={"MS-RequestId": "r-8"})
    assert retry.status_code == 201
    assert retry.json()["id"] == first.json()["id"]
    assert retry.json()["userCredentials"] == {
        "userName": "admin@wingtip.onmicrosoft.com",
        "password": "",
    }
    assert password not in str(IdempotencyRecord.objects.get().response_body)
    assert Customer.objects.count() == 1


def test_a_too_long_request_id_is_400(api_as, alice, template_cz):
    response = api_as(alice).post_json(
        "/v1/customers", new_customer(), headers={"MS-RequestId": "x" * 101}
    )
    assert_error(response, 400, 800002)
    assert not Customer.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="concurrent writers need PostgreSQL; SQLite serialises every writer anyway",
)
def test_two_concurrent_posts_with_one_id_do_the_work_once(api_as, alice, template_cz, monkeypatch):
    EvidenceChainHead.objects.get_or_create(pk=1)
    real_create = customers_api.create_customer

    def slow_create(**kwargs):
        result = real_create(**kwargs)
        time.sleep(0.5)  # the twin arrives while this one's transaction is still open
        return result

    monkeypatch.setattr(customers_api, "create_customer", slow_create)
    clients = [api_as(alice, name="one"), api_as(alice, name="two")]
    barrier = threading.Barrier(2)
    responses: list = [None, None]

    def post(index):
        try:
            barrier.wait()
            responses[index] = clients[index].post_json(
                "/v1/customers", new_customer(), headers={"MS-RequestId": "same-id"}
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [r.status_code for r in responses] == [201, 201]
    assert responses[0].json()["id"] == responses[1].json()["id"]
    assert sorted(r.get("MS-Idempotent-Replay", "") for r in responses) == ["", "true"]
    assert Customer.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_expired_records_are_cleared_as_the_agent_posts_again(api_as, alice, acme, template_cz):
    api = api_as(alice)
    url = f"/v1/customers/{acme.tenant_id}/agreements"
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        api.post_json(url, attestation(template_cz), headers={"MS-RequestId": "old-1"})
    with time_machine.travel(start + datetime.timedelta(hours=25), tick=False):
        body = attestation(template_cz, primaryContact__firstName="Eva")
        api.post_json(url, body, headers={"MS-RequestId": "new-1"})
    assert list(IdempotencyRecord.objects.values_list("request_id", flat=True)) == ["new-1"]


def test_a_server_error_is_not_stored_so_a_retry_can_succeed(
    api_as, alice, template_cz, monkeypatch
):
    api = api_as(alice)
    real_create = customers_api.create_customer

    def failing(**kwargs):
        real_create(**kwargs)
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(customers_api, "create_customer", failing)
    failed = api.post_json("/v1/customers", new_customer(), headers={"MS-RequestId": "r-9"})
    assert_error(failed, 500, 500)
    assert not IdempotencyRecord.objects.exists()
    assert not Customer.objects.exists()  # rolled back with the record
    monkeypatch.setattr(customers_api, "create_customer", real_create)
    retry = api.post_json("/v1/customers", new_customer(), headers={"MS-RequestId": "r-9"})
    assert retry.status_code == 201
    assert retry.json()["userCredentials"]["password"]
