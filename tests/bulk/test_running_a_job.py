"""Running a previewed job: both modes, results, cancel, roles and scoping."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.management import call_command

from agreements.models import Acceptance, Channel
from bulk import services
from bulk.models import BulkJob, Outcome, Status
from customers.models import AgreementStatus, Relationship
from tests import factories as f
from tests.bulk.conftest import csv_file, row

TODAY = "2026-03-10 12:00 +01:00"


@pytest.fixture
def beta(contoso, template_cz):
    customer = f.CustomerFactory(company_name="Beta a.s.", domain="beta.onmicrosoft.com")
    f.RelationshipFactory(partner=contoso, customer=customer)
    return customer


def _run(client, job, mode):
    return client.post(f"/bulk/{job.public_id}/run/", {"mode": mode}, follow=True)


@time_machine.travel(TODAY)
def test_all_or_nothing_records_nothing_when_one_row_fails(client, upload, sam, acme, beta):
    upload(sam, csv_file(row(acme), row(beta, date="2026-03-11")))
    job = BulkJob.objects.get()
    response = _run(client, job, "allOrNothing")
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert not Acceptance.objects.exists()
    outcomes = dict(job.rows.values_list("number", "outcome"))
    assert outcomes == {2: Outcome.NOT_ATTEMPTED, 3: Outcome.FAILED}
    assert response.status_code == 200


@time_machine.travel(TODAY)
def test_valid_rows_only_records_exactly_the_valid_rows(client, upload, sam, acme, beta, globex):
    upload(sam, csv_file(row(acme), row(beta, date="2026-03-11"), row(globex)))
    job = BulkJob.objects.get()
    _run(client, job, "validOnly")
    job.refresh_from_db()
    assert (job.status, job.succeeded, job.failed) == (Status.COMPLETED, 1, 2)
    record = Acceptance.objects.get()
    assert (record.customer, record.channel, record.bulk_job) == (acme, Channel.BULK, job.public_id)
    assert job.rows.get(number=2).acceptance == record
    assert Relationship.objects.get(customer=acme).agreement_status == AgreementStatus.ATTESTED
    assert Relationship.objects.get(customer=acme).last_accepted_on == datetime.date(2026, 1, 15)
    call_command("verify_evidence", verbosity=0)


@time_machine.travel(TODAY)
def test_all_or_nothing_records_every_row_of_a_clean_file(client, upload, sam, acme, beta):
    upload(sam, csv_file(row(acme), row(beta)))
    job = BulkJob.objects.get()
    response = _run(client, job, "allOrNothing")
    job.refresh_from_db()
    assert (job.status, job.succeeded, job.failed) == (Status.COMPLETED, 2, 0)
    assert Acceptance.objects.count() == 2
    assert b"Download the results" in response.content
    assert '"bulkJobId"' in Acceptance.objects.first().statement
    call_command("verify_evidence", verbosity=0)


@time_machine.travel(TODAY)
def test_the_result_file_neutralises_formulas(client, upload, sam, acme):
    upload(sam, csv_file(row(acme, first="=HYPERLINK(1)", last="+1", email="@x")))
    job = BulkJob.objects.get()
    _run(client, job, "validOnly")
    content = b"".join(client.get(f"/bulk/{job.public_id}/results.csv").streaming_content)
    text = content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and ",'+1," in text and "'@x" in text
    assert text.splitlines()[0].endswith("Outcome,RecordId,ErrorCode,Message")


@time_machine.travel(TODAY)
def test_a_cancelled_job_leaves_the_rest_not_attempted(client, upload, sam, acme, beta, settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "QUEUES": ["default", "email"],
        }
    }
    upload(sam, csv_file(row(acme), row(beta)))
    job = BulkJob.objects.get()
    _run(client, job, "validOnly")
    # One batch of one row, then the agent cancels.
    services.BATCH_SIZE, size = 1, services.BATCH_SIZE
    try:
        assert services.run_batch(job.pk)
        client.post(f"/bulk/{job.public_id}/cancel/")
        services.run_job(job.pk)
    finally:
        services.BATCH_SIZE = size
    job.refresh_from_db()
    assert job.status == Status.CANCELLED
    assert dict(job.rows.values_list("number", "outcome")) == {
        2: Outcome.SUCCEEDED,
        3: Outcome.NOT_ATTEMPTED,
    }
    assert Acceptance.objects.count() == 1


@time_machine.travel(TODAY)
def test_the_progress_json_reports_counts(client, upload, sam, acme):
    upload(sam, csv_file(row(acme)))
    job = BulkJob.objects.get()
    _run(client, job, "validOnly")
    body = client.get(f"/bulk/{job.public_id}/status.json").json()
    assert body["percent"] == 100 and body["succeeded"] == 1 and body["finished"]


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_read_only_roles_may_not_use_bulk_attestation(client, persona, request, acme):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/bulk/").status_code == 403
    assert client.get("/bulk/new/").status_code == 403
    assert client.get("/bulk/template.csv").status_code == 403


@time_machine.travel(TODAY)
def test_another_partners_job_is_not_found(client, upload, sam, lisa, acme):
    upload(sam, csv_file(row(acme)))
    job = BulkJob.objects.get()
    _run(client, job, "validOnly")
    client.force_login(lisa)
    for path in ("", "status.json", "results.csv"):
        assert client.get(f"/bulk/{job.public_id}/{path}").status_code == 404


@time_machine.travel(TODAY)
def test_the_jobs_list_names_who_started_each(client, upload, sam, alice, acme):
    upload(sam, csv_file(row(acme)))
    _run(client, BulkJob.objects.get(), "validOnly")
    client.force_login(alice)
    page = client.get("/bulk/").content.decode()
    assert "sam@contoso.example" in page and "rows.csv" in page


def test_the_template_lists_customers_with_nothing_on_record(client, sam, acme, globex):
    client.force_login(sam)
    response = client.get("/bulk/template.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "TenantId,Domain,FirstName,LastName,Email,PhoneNumber,DateAgreed,TemplateId"
    assert str(acme.tenant_id) in text and str(globex.tenant_id) not in text


def test_the_result_file_is_downloadable_for_30_days_then_gone(client, upload, sam, acme):
    with time_machine.travel(TODAY) as traveller:
        upload(sam, csv_file(row(acme)))
        job = BulkJob.objects.get()
        _run(client, job, "validOnly")
        traveller.shift(datetime.timedelta(days=29, hours=23))
        client.force_login(sam)  # (the session itself has expired by then)
        assert client.get(f"/bulk/{job.public_id}/results.csv").status_code == 200
        assert f"/bulk/{job.public_id}/results.csv" in client.get(f"/bulk/{job.public_id}/").text
        traveller.shift(datetime.timedelta(hours=2))
        client.force_login(sam)
        assert client.get(f"/bulk/{job.public_id}/results.csv").status_code == 404
        page = client.get(f"/bulk/{job.public_id}/")
        assert page.status_code == 200 and f"/bulk/{job.public_id}/results.csv" not in page.text
