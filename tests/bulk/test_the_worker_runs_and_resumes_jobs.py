"""The real worker: a job enqueued over HTTP is picked up by `manage.py worker --batch` in
another process and finished; a job whose worker died mid-way resumes from its first
unfinished row and writes no evidence twice, whether it stopped between batches or was killed
in the middle of one (PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from agreements.models import Acceptance
from bulk import services
from bulk.models import BulkJob, Outcome, Status
from customers.models import Customer, Relationship
from tests import factories as f
from tests.bulk.conftest import csv_file, row

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: the worker runs in another process on the same database",
    ),
    pytest.mark.django_db(transaction=True),
]

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
}


@pytest.fixture
def customers(contoso, template_cz):
    made = []
    for n in range(7):
        customer = f.CustomerFactory(domain=f"worker{n}.onmicrosoft.com")
        f.RelationshipFactory(partner=contoso, customer=customer)
        made.append(customer)
    return made


def _upload_and_run(client, agent, customers, mode="validOnly") -> BulkJob:
    client.force_login(agent)
    lines = [row(c, email=f"c{n}@example.cz", date="2026-01-15") for n, c in enumerate(customers)]
    client.post("/bulk/new/", {"file": csv_file(*lines)})
    job = BulkJob.objects.get()
    client.post(f"/bulk/{job.public_id}/run/", {"mode": mode})
    return job


def _worker_env() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "MCA_TEST_DATABASE_NAME": connection.settings_dict["NAME"],
        "MCA_TEST_EVIDENCE_KEY_DIR": str(settings.EVIDENCE_KEY_DIR),
    }


def _worker_in_another_process() -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=settings.BASE_DIR,
        env=_worker_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_job_started_on_the_web_is_finished_by_the_real_worker(client, sam, customers, settings):
    settings.TASKS = DATABASE_TASKS
    job = _upload_and_run(client, sam, customers)
    job.refresh_from_db()
    assert job.status == Status.QUEUED
    result = _worker_in_another_process()
    assert result.returncode == 0, result.stderr
    job.refresh_from_db()
    assert (job.status, job.succeeded, job.failed) == (Status.COMPLETED, 7, 0)
    assert Acceptance.objects.filter(bulk_job=job.public_id).count() == 7
    body = client.get(f"/bulk/{job.public_id}/status.json").json()
    assert body["percent"] == 100
    call_command("verify_evidence", verbosity=0)


def test_a_job_whose_worker_died_resumes_without_duplicating_evidence(
    client, sam, customers, settings, monkeypatch
):
    settings.TASKS = DATABASE_TASKS
    job = _upload_and_run(client, sam, customers)
    # A worker writes two batches of three rows, then dies (its task never finishes).
    monkeypatch.setattr(services, "BATCH_SIZE", 3)
    assert services.run_batch(job.pk) and services.run_batch(job.pk)
    job.refresh_from_db()
    assert (job.status, job.succeeded) == (Status.RUNNING, 6)
    # Its heartbeat goes stale; a fresh worker starting finds the job and resumes it.
    BulkJob.objects.filter(pk=job.pk).update(heartbeat=job.heartbeat - services.STALE_AFTER * 2)
    result = _worker_in_another_process()
    assert result.returncode == 0, result.stderr
    job.refresh_from_db()
    assert (job.status, job.succeeded, job.failed) == (Status.COMPLETED, 7, 0)
    assert Acceptance.objects.count() == 7
    assert set(job.rows.values_list("outcome", flat=True)) == {Outcome.SUCCEEDED}
    call_command("verify_evidence", verbosity=0)


def test_a_worker_killed_mid_job_leaves_whole_batches_and_the_next_finishes_the_job(
    client, sam, contoso, template_cz, settings
):
    """A real kill (SIGKILL) of a worker process in the middle of a job of three batches: what
    it committed are whole batches (each batch's evidence and outcomes in one transaction);
    once its heartbeat is stale the next worker resumes from the first unfinished row, and no
    customer ends up with two records."""
    settings.TASKS = DATABASE_TASKS
    total = 3 * services.BATCH_SIZE
    now = timezone.now()
    made = Customer.objects.bulk_create(
        [
            Customer(
                company_name=f"Killed {n:04d}",
                domain=f"killed{n}.onmicrosoft.com",
                country="CZ",
                address_line1="Náměstí 1",
                city="Brno",
                postal_code="602 00",
                contact_first_name="Jana",
                contact_last_name="Nováková",
                contact_email="jana@example.cz",
                created_at=now,
            )
            for n in range(total)
        ]
    )
    Relationship.objects.bulk_create(
        [Relationship(partner=contoso, customer=c, activated_at=now) for c in made]
    )
    job = _upload_and_run(client, sam, made)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=settings.BASE_DIR,
        env=_worker_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while BulkJob.objects.get(pk=job.pk).succeeded < services.BATCH_SIZE:
            assert worker.poll() is None and time.monotonic() < deadline, "no batch committed"
            time.sleep(0.01)
    finally:
        worker.kill()
        worker.wait()
    job.refresh_from_db()
    assert job.status == Status.RUNNING and job.succeeded < total
    # Whole batches only: the rows marked done are exactly those with evidence.
    assert job.succeeded % services.BATCH_SIZE == 0
    assert Acceptance.objects.count() == job.succeeded
    assert job.rows.filter(outcome=Outcome.SUCCEEDED).count() == job.succeeded

    BulkJob.objects.filter(pk=job.pk).update(heartbeat=now - services.STALE_AFTER * 2)
    result = _worker_in_another_process()
    assert result.returncode == 0, result.stderr
    job.refresh_from_db()
    assert (job.status, job.succeeded, job.failed) == (Status.COMPLETED, total, 0)
    assert Acceptance.objects.count() == total
    assert Acceptance.objects.values("customer").distinct().count() == total
    call_command("verify_evidence", verbosity=0)
