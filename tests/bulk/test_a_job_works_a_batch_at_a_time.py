"""A job's rows are read, checked and written a batch at a time, and nothing is carried from one
batch to the next: a customer named again in a later batch is found by looking at the job's
stored rows (not remembered), and every batch costs the same queries however many came before.
So a job's memory and its queries a batch stay flat in the number of rows."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Acceptance
from bulk import services
from bulk.models import BulkJob, Mode, Outcome, Source, Status
from tests import factories as f
from tests.bulk.conftest import row

pytestmark = pytest.mark.django_db

TODAY = "2026-03-10 12:00 +01:00"
DUMMY_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "QUEUES": ["default", "email"],
    }
}
NAMES = [
    "tenant_id",
    "domain",
    "first_name",
    "last_name",
    "email",
    "phone",
    "date_agreed",
    "template_id",
]


@pytest.fixture(autouse=True)
def batches_of_three(monkeypatch, settings):
    monkeypatch.setattr(services, "BATCH_SIZE", 3)
    settings.TASKS = DUMMY_TASKS  # the test runs the batches itself


def customers_of(partner, count):
    made = []
    for _ in range(count):
        customer = f.CustomerFactory()
        f.RelationshipFactory(partner=partner, customer=customer)
        made.append(customer)
    return made


def draft(agent, customers) -> BulkJob:
    lines = [row(c, email=f"jana{n}@acme.example") for n, c in enumerate(customers)]
    rows = [(n + 2, dict(zip(NAMES, line.split(","), strict=True))) for n, line in enumerate(lines)]
    return services.create_job(user=agent, rows=rows, source=Source.WEB, filename="rows.csv")


@time_machine.travel(TODAY)
def test_a_customer_named_again_in_a_later_batch_is_a_duplicate_in_the_preview_and_the_job(
    sam, contoso, template_cz
):
    customers = customers_of(contoso, 7)
    # Rows 2–4, 5–7, 8–10: the customer of row 3 comes back in row 9, two batches later.
    job = draft(sam, [*customers, customers[1]])
    again = job.rows.get(number=9)
    assert again.code == services.INVALID_INPUT and "row 3" in again.message
    assert job.valid == 7

    services.start_job(job, Mode.VALID_ONLY)
    # A worker writes one batch and dies; the next run starts with nothing in memory.
    assert services.run_batch(job.pk)
    services.run_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.succeeded, job.failed) == (Status.COMPLETED, 7, 1)
    again = job.rows.get(number=9)
    assert again.outcome == Outcome.FAILED and "row 3" in again.message
    assert Acceptance.objects.count() == 7


@time_machine.travel(TODAY)
def test_every_batch_costs_the_same_queries_in_the_preview_and_the_job(sam, contoso, template_cz):
    def preview_queries(count):
        customers = customers_of(contoso, count)
        with CaptureQueriesContext(connection) as captured:
            job = draft(sam, customers)
        return len(captured), job

    # 2, 3 and 4 batches: each batch more costs the same.
    six, _job = preview_queries(6)
    nine, _job = preview_queries(9)
    twelve, job = preview_queries(12)
    assert twelve - nine == nine - six

    services.start_job(job, Mode.ALL_OR_NOTHING)
    counts = []
    while True:
        with CaptureQueriesContext(connection) as captured:
            more = services.run_batch(job.pk)
        counts.append(len(captured))
        if not more:
            break
    # The first call checks the whole job (all or nothing) and writes the first batch; the
    # others each write a batch, at the same cost; the last finds nothing left.
    written = counts[1:-1]
    assert len(written) == 3 and len(set(written)) == 1, counts
    job.refresh_from_db()
    assert (job.status, job.succeeded) == (Status.COMPLETED, 12)


@time_machine.travel(TODAY)
def test_the_portfolio_counters_count_a_jobs_records_and_statuses(sam, contoso, template_cz):
    """A batch's records go in by one COPY (PostgreSQL) and its statuses by one UPDATE: the
    portfolio's triggers count them as they count one record at a time."""
    from django.db.models import Count, Sum

    from portfolio import selectors
    from portfolio.models import AcceptanceTally, StatusDelta
    from tests.portfolio.conftest import counted, live_counts, stored_counts

    job = draft(sam, customers_of(contoso, 8))
    services.start_job(job, Mode.VALID_ONLY)
    services.run_job(job.pk)
    assert Acceptance.objects.count() == 8
    ledger = dict(
        StatusDelta.objects.filter(partner=contoso)
        .values_list("status")
        .annotate(total=Sum("delta"))
        .order_by()
    )
    assert {k: v for k, v in ledger.items() if v} == stored_counts(contoso) == {"attested": 8}
    assert counted(selectors.status_counts(contoso)[selectors.OWN]) == live_counts([contoso])
    tallied = AcceptanceTally.objects.filter(partner=contoso).aggregate(n=Sum("count"))["n"]
    live = Acceptance.objects.filter(partner=contoso).aggregate(n=Count("id"))["n"]
    assert tallied == live == 8
