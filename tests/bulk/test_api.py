"""POST /v1/bulkattestations → 202; its status and its results, paged; idempotent."""

from __future__ import annotations

import time_machine

from agreements.models import Acceptance
from bulk.models import BulkJob
from tests.bulk.conftest import HEADER, row

TODAY = "2026-03-10 12:00 +01:00"


def item(customer=None, *, domain="", date="2026-01-15", email="jana@acme.example"):
    body = {
        "primaryContact": {"firstName": "Jana", "lastName": "Nováková", "email": email},
        "dateAgreed": date,
    }
    if customer is not None:
        body["customerId"] = str(customer.tenant_id)
    if domain:
        body["domain"] = domain
    return body


@time_machine.travel(TODAY)
def test_a_json_job_is_accepted_run_and_reported(api_as, sam, acme, globex):
    api = api_as(sam)
    response = api.post_json(
        "/v1/bulkattestations",
        {"mode": "validOnly", "items": [item(acme), item(globex), item(acme, date="2026-04-01")]},
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert set(body) == {"id", "status", "links"}
    assert response["Location"] == body["links"]["self"]["uri"]
    status = api.get(f"/v1/bulkattestations/{body['id']}").json()
    assert status["status"] == "completed" and status["mode"] == "validOnly"
    assert status["counts"] == {"total": 3, "succeeded": 1, "failed": 2}
    results = api.get(f"/v1/bulkattestations/{body['id']}/results").json()["items"]
    assert [(r["row"], r["outcome"], r["code"]) for r in results] == [
        (1, "succeeded", None),
        (2, "failed", 60003),
        (3, "failed", 800002),
    ]
    assert results[0]["recordId"] == str(Acceptance.objects.get().public_id)


@time_machine.travel(TODAY)
def test_the_default_mode_is_all_or_nothing(api_as, sam, acme, globex):
    api = api_as(sam)
    job = api.post_json("/v1/bulkattestations", {"items": [item(acme), item(globex)]}).json()
    status = api.get(f"/v1/bulkattestations/{job['id']}").json()
    assert (status["mode"], status["status"]) == ("allOrNothing", "failed")
    assert not Acceptance.objects.exists()


@time_machine.travel(TODAY)
def test_a_csv_body_is_accepted(api_as, sam, acme):
    api = api_as(sam)
    body = "\r\n".join([HEADER, row(acme)]) + "\r\n"
    response = api.post(
        "/v1/bulkattestations?mode=validOnly", body.encode(), content_type="text/csv"
    )
    assert response.status_code == 202, response.content
    assert Acceptance.objects.count() == 1


def test_a_csv_body_with_wrong_columns_is_400(api_as, sam, acme):
    response = api_as(sam).post("/v1/bulkattestations", b"a,b\r\n1,2\r\n", content_type="text/csv")
    assert response.status_code == 400 and response.json()["code"] == 800002
    assert not BulkJob.objects.exists()


@time_machine.travel(TODAY)
def test_results_are_paged_with_continuation_tokens(api_as, sam, acme):
    api = api_as(sam)
    job = api.post_json(
        "/v1/bulkattestations",
        {
            "mode": "validOnly",
            "items": [item(acme)] + [item(domain=f"x{n}.example") for n in range(4)],
        },
    ).json()
    first = api.get(f"/v1/bulkattestations/{job['id']}/results?size=2").json()
    assert [r["row"] for r in first["items"]] == [1, 2]
    token = first["links"]["next"]["headers"][0]["value"]
    second = api.get(
        f"/v1/bulkattestations/{job['id']}/results?size=2", headers={"MS-ContinuationToken": token}
    ).json()
    assert [r["row"] for r in second["items"]] == [3, 4]


@time_machine.travel(TODAY)
def test_a_retry_with_the_same_request_id_replays_the_job(api_as, sam, acme):
    api = api_as(sam)
    body = {"items": [item(acme)]}
    first = api.post_json("/v1/bulkattestations", body, headers={"MS-RequestId": "bulk-1"})
    again = api.post_json("/v1/bulkattestations", body, headers={"MS-RequestId": "bulk-1"})
    assert first.json() == again.json()
    assert again["MS-Idempotent-Replay"] == "true"
    assert BulkJob.objects.count() == 1 and Acceptance.objects.count() == 1


@time_machine.travel(TODAY)
def test_another_partners_job_is_404(api_as, sam, lisa, acme):
    job = api_as(sam).post_json("/v1/bulkattestations", {"items": [item(acme)]}).json()
    other = api_as(lisa)
    assert other.get(f"/v1/bulkattestations/{job['id']}").status_code == 404
    assert other.get(f"/v1/bulkattestations/{job['id']}/results").status_code == 404


def test_a_reseller_is_refused_with_900123(api_as, nora, initech):
    response = api_as(nora).post_json("/v1/bulkattestations", {"items": [item(initech)]})
    assert response.status_code == 403 and response.json()["code"] == 900123


def test_a_helpdesk_agent_is_refused(api_as, hana, acme):
    response = api_as(hana).post_json("/v1/bulkattestations", {"items": [item(acme)]})
    assert response.status_code == 403


def test_more_than_5000_items_are_refused(api_as, sam, acme):
    response = api_as(sam).post_json("/v1/bulkattestations", {"items": [item(acme)] * 5001})
    assert response.status_code in (400, 413)
    assert not BulkJob.objects.exists()
