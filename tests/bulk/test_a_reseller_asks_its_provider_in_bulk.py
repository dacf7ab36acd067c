"""R3 in bulk: an indirect reseller's admin or sales agent uploads the same file and, instead of
attesting, asks its provider to attest for each valid row; rows on record or asked for already
are skipped; the same preview, job, progress and results."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Acceptance, AttestationRequest
from agreements.services import request_attestation
from bulk.models import BulkJob, Kind, Mode, Outcome, Status
from portal.models import Role
from tests import factories as f
from tests.bulk.conftest import csv_file, row

TODAY = "2026-03-10 12:00 +01:00"


def customer_of(partner, name):
    customer = f.CustomerFactory(company_name=name, domain=f"{name.lower()}.onmicrosoft.com")
    f.RelationshipFactory(partner=partner, customer=customer)
    return customer


@pytest.fixture
def rita(northwind):
    """Admin agent of the indirect reseller."""
    return f.AgentFactory(email="rita@northwind.example", partner=northwind, role=Role.ADMIN_AGENT)


@pytest.fixture
def world(northwind, frank, nora, initech, acme):
    """Northwind's customers: Initech with nothing on record, Umbrella attested by the provider,
    Hooli asked for already; Acme is Contoso's."""
    umbrella = customer_of(northwind, "Umbrella")
    f.attest(umbrella, frank)
    hooli = customer_of(northwind, "Hooli")
    request_attestation(customer=hooli, reseller=northwind, requested_by=nora)
    return {"initech": initech, "umbrella": umbrella, "hooli": hooli, "acme": acme}


def the_file(world):
    return csv_file(
        row(world["initech"]),
        row(world["umbrella"]),
        row(world["hooli"]),
        row(world["acme"]),
        row(world["initech"], email="other@initech.example"),
        row(tenant="", domain="initech.onmicrosoft.com", date="2026-03-11"),
    )


@pytest.mark.parametrize("persona", ["nora", "rita"])
@time_machine.travel(TODAY)
def test_a_resellers_write_agents_ask_the_provider_for_each_valid_row(
    client, upload, request, persona, world, fabrikam, northwind
):
    agent = request.getfixturevalue(persona)
    response = upload(agent, the_file(world))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ask Fabrikam Distribution to attest" in page
    job = BulkJob.objects.get()
    assert (job.kind, job.total, job.valid, job.to_skip) == (Kind.REQUEST, 6, 1, 2)
    assert "there is nothing to ask your provider" in page
    assert "Fabrikam Distribution has been asked to attest for this customer already." in page
    # Found nowhere in the reseller's scope: not found, never revealed (R4).
    findings = dict(job.rows.exclude(code=None).values_list("number", "code"))
    assert findings == {5: 60003, 6: 800002, 7: 800002}
    assert AttestationRequest.objects.count() == 1

    response = client.post(f"/bulk/{job.public_id}/run/", follow=True)
    assert response.status_code == 200
    job.refresh_from_db()
    assert (job.status, job.mode) == (Status.COMPLETED, Mode.VALID_ONLY)
    assert (job.succeeded, job.failed, job.skipped, job.percent) == (1, 3, 2, 100)
    asked = AttestationRequest.objects.get(customer=world["initech"])
    assert (asked.reseller, asked.provider, asked.requested_by) == (northwind, fabrikam, agent)
    assert AttestationRequest.objects.filter(resolved_at=None).count() == 2
    assert Acceptance.objects.count() == 1  # the provider's own, from before
    outcomes = dict(job.rows.values_list("number", "outcome"))
    assert outcomes == {
        2: Outcome.SUCCEEDED,
        3: Outcome.SKIPPED,
        4: Outcome.SKIPPED,
        5: Outcome.FAILED,
        6: Outcome.FAILED,
        7: Outcome.FAILED,
    }
    assert job.rows.get(number=6).message == "This customer is already in row 2 of this file."

    body = client.get(f"/bulk/{job.public_id}/status.json").json()
    assert (body["succeeded"], body["failed"], body["skipped"], body["percent"]) == (1, 3, 2, 100)
    text = b"".join(client.get(f"/bulk/{job.public_id}/results.csv").streaming_content)
    lines = text.decode("utf-8-sig").splitlines()
    assert lines[1].endswith(
        ",succeeded,,,Fabrikam Distribution has been asked to attest for this customer."
    )
    assert ",skipped,,," in lines[2] and ",skipped,,," in lines[3]


@time_machine.travel(TODAY)
def test_the_upload_page_tells_a_reseller_its_provider_attests(client, nora, initech):
    client.force_login(nora)
    page = client.get("/bulk/new/").content.decode()
    assert "Ask your provider to attest, in bulk" in page
    assert "Fabrikam Distribution" in page and "Indirect resellers can't attest" in page


@time_machine.travel(TODAY)
def test_rows_on_record_by_the_time_the_job_runs_are_skipped(
    client, upload, nora, frank, world, northwind
):
    upload(nora, csv_file(row(world["initech"])))
    job = BulkJob.objects.get()
    assert job.valid == 1
    f.attest(world["initech"], frank)
    client.post(f"/bulk/{job.public_id}/run/")
    job.refresh_from_db()
    assert (job.succeeded, job.skipped) == (0, 1)
    assert not AttestationRequest.objects.filter(customer=world["initech"]).exists()


@time_machine.travel(TODAY)
def test_a_preview_that_skips_every_row_offers_nothing_to_run(upload, nora, world):
    page = upload(nora, csv_file(row(world["umbrella"]), row(world["hooli"]))).content.decode()
    assert "Ask Fabrikam Distribution to attest" not in page
    assert BulkJob.objects.get().to_skip == 2


@pytest.mark.parametrize("role", [Role.HELPDESK_AGENT, Role.BILLING_ADMIN])
def test_a_resellers_read_only_roles_may_not_ask_in_bulk(client, role, northwind, initech):
    client.force_login(f.AgentFactory(partner=northwind, role=role))
    for path in ("/bulk/", "/bulk/new/", "/bulk/template.csv"):
        assert client.get(path).status_code == 403, path
    response = client.post("/bulk/new/", {"file": csv_file(row(initech))})
    assert response.status_code == 403
    assert not BulkJob.objects.exists()


@time_machine.travel(TODAY)
def test_the_provider_still_attests_its_resellers_customers_in_bulk(
    client, upload, frank, initech, northwind
):
    upload(frank, csv_file(row(initech)))
    job = BulkJob.objects.get()
    assert job.kind == Kind.ATTESTATION
    client.post(f"/bulk/{job.public_id}/run/", {"mode": Mode.VALID_ONLY})
    assert Acceptance.objects.get().customer == initech
    assert not AttestationRequest.objects.exists()


@time_machine.travel(TODAY)
def test_the_api_does_not_show_a_resellers_request_job(client, upload, api_as, nora, initech):
    upload(nora, csv_file(row(initech)))
    job = BulkJob.objects.get()
    client.post(f"/bulk/{job.public_id}/run/")
    assert api_as(nora).get(f"/v1/bulkattestations/{job.public_id}").status_code == 404


@time_machine.travel(TODAY)
def test_a_request_jobs_preview_costs_the_same_for_2_or_20_rows(
    client, upload, nora, frank, northwind, template_cz
):
    def preview_queries(count):
        customers = [customer_of(northwind, f"C{count}x{n}") for n in range(count)]
        for customer in customers[: count // 2]:
            f.attest(customer, frank)
        upload(nora, csv_file(*(row(c) for c in customers)))
        job = BulkJob.objects.latest("pk")
        assert job.to_skip == count // 2
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/bulk/{job.public_id}/").status_code == 200
        return len(captured)

    assert preview_queries(2) == preview_queries(20) <= 5
