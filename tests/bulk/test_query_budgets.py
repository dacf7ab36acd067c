"""Every bulk page and endpoint costs the same number of queries whatever the size of the job
(rows in the file, rows in the results) or of the jobs list: nothing is looked up a row at a
time. Each is measured at two sizes and held to a budget."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Acceptance
from bulk import services
from bulk.models import BulkJob, Mode, Source
from tests import factories as f
from tests.bulk.conftest import csv_file, row

pytestmark = pytest.mark.django_db

TODAY = "2026-03-10 12:00 +01:00"
FEW, MANY = 2, 40


def customers_of(partner, count):
    made = []
    for _ in range(count):
        customer = f.CustomerFactory()
        f.RelationshipFactory(partner=partner, customer=customer)
        made.append(customer)
    return made


def lines(customers, *, bad: int = 1) -> list[str]:
    """One row per customer, the last ``bad`` of them with a date in the future."""
    return [
        row(
            customer,
            email=f"jana{n}@acme.example",
            date="2026-03-11" if n >= len(customers) - bad else "2026-01-15",
        )
        for n, customer in enumerate(customers)
    ]


def on_postgresql() -> int:
    """PostgreSQL's three more queries a written batch: it locks the batch's customers and its
    document (SQLite runs one writer at a time: nothing to lock), and draws the records' ids
    before it copies them in."""
    return 3 if connection.vendor == "postgresql" else 0


def counted(call) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    return len(captured), response


def get(client, url: str) -> int:
    count, response = counted(lambda: client.get(url))
    assert response.status_code == 200, url
    if response.streaming:
        # A streamed file's queries are made while it is read.
        with CaptureQueriesContext(connection) as captured:
            b"".join(response.streaming_content)
        count += len(captured)
    return count


def draft(agent, customers, *, bad: int = 1) -> BulkJob:
    return services.create_job(
        user=agent,
        rows=[(n + 2, values) for n, values in enumerate(_values(lines(customers, bad=bad)))],
        source=Source.WEB,
        filename="rows.csv",
    )


def _values(texts: list[str]) -> list[dict]:
    names = [
        "tenant_id",
        "domain",
        "first_name",
        "last_name",
        "email",
        "phone",
        "date_agreed",
        "template_id",
    ]
    return [dict(zip(names, text.split(","), strict=True)) for text in texts]


def finished(agent, customers, mode=Mode.VALID_ONLY) -> BulkJob:
    job = draft(agent, customers)
    services.start_job(job, mode)
    job.refresh_from_db()
    return job


@pytest.fixture
def signed_in(client, sam):
    client.force_login(sam)
    return client


@time_machine.travel(TODAY)
def test_the_upload_and_its_preview_cost_the_same_for_2_or_40_rows(signed_in, contoso, template_cz):
    few, many = customers_of(contoso, FEW), customers_of(contoso, MANY)
    assert get(signed_in, "/bulk/new/") <= 2

    def post(customers):
        return counted(lambda: signed_in.post("/bulk/new/", {"file": csv_file(*lines(customers))}))

    small, response = post(few)
    assert response.status_code == 302
    large, response = post(many)
    assert response.status_code == 302
    assert small == large <= 10
    assert not Acceptance.objects.exists()

    small_job, large_job = BulkJob.objects.order_by("pk")
    assert large_job.total == MANY and large_job.valid == MANY - 1
    small = get(signed_in, f"/bulk/{small_job.public_id}/")
    assert get(signed_in, f"/bulk/{large_job.public_id}/") == small <= 4


@pytest.mark.parametrize(
    ("mode", "bad", "budget"),
    [
        (Mode.VALID_ONLY, 1, 26),
        (Mode.ALL_OR_NOTHING, 0, 31),
        # All or nothing, failed by its check before anything is written.
        (Mode.ALL_OR_NOTHING, 1, 16),
    ],
)
@time_machine.travel(TODAY)
def test_running_a_job_costs_the_same_for_2_or_40_rows(
    signed_in, sam, contoso, template_cz, mode, bad, budget
):
    few = draft(sam, customers_of(contoso, FEW), bad=bad)
    many = draft(sam, customers_of(contoso, MANY), bad=bad)

    def run(job):
        count, response = counted(
            lambda: signed_in.post(f"/bulk/{job.public_id}/run/", {"mode": mode})
        )
        assert response.status_code == 302
        return count

    assert run(few) == run(many) <= budget + on_postgresql()
    written = 0 if mode == Mode.ALL_OR_NOTHING and bad else FEW + MANY - 2 * bad
    assert Acceptance.objects.count() == written


@time_machine.travel(TODAY)
def test_a_finished_jobs_page_status_and_results_cost_the_same_for_2_or_40_rows(
    signed_in, sam, contoso, template_cz
):
    few = finished(sam, customers_of(contoso, FEW))
    many = finished(sam, customers_of(contoso, MANY))
    assert many.succeeded == MANY - 1
    for path, budget in (("", 4), ("status.json", 3), ("results.csv", 4)):
        small = get(signed_in, f"/bulk/{few.public_id}/{path}")
        assert get(signed_in, f"/bulk/{many.public_id}/{path}") == small <= budget, path


@time_machine.travel(TODAY)
def test_the_jobs_list_costs_the_same_for_2_or_30_jobs(signed_in, sam, alice, contoso, template_cz):
    customers = customers_of(contoso, 1)

    def add_jobs(count):
        for n in range(count):
            finished(alice if n % 2 else sam, customers)

    add_jobs(2)
    small = get(signed_in, "/bulk/")
    add_jobs(28)
    assert get(signed_in, "/bulk/") == small <= 4
    assert get(signed_in, "/bulk/?page=2") == small


def test_the_template_costs_the_same_for_2_or_40_customers(signed_in, contoso, template_cz):
    customers_of(contoso, FEW)
    small = get(signed_in, "/bulk/template.csv")
    customers_of(contoso, MANY)
    assert get(signed_in, "/bulk/template.csv") == small <= 3


def _item(customer, n):
    return {
        "customerId": str(customer.tenant_id),
        "primaryContact": {"firstName": "Jana", "lastName": "Nováková", "email": f"j{n}@x.cz"},
        "dateAgreed": "2026-01-15",
    }


@time_machine.travel(TODAY)
def test_the_api_costs_the_same_for_2_or_40_rows(api_as, sam, contoso, template_cz):
    api = api_as(sam)
    api.get("/v1/customers")  # the token's last-used stamp is written once a minute

    def create(customers):
        body = {"mode": "validOnly", "items": [_item(c, n) for n, c in enumerate(customers)]}
        count, response = counted(lambda: api.post_json("/v1/bulkattestations", body))
        assert response.status_code == 202, response.content
        return count, response.json()["id"]

    small, few = create(customers_of(contoso, FEW))
    large, many = create(customers_of(contoso, MANY))
    assert small == large <= 33 + on_postgresql()
    for path, budget in (("", 2), ("/results?size=50", 3)):
        small = get(api, f"/v1/bulkattestations/{few}{path}")
        assert get(api, f"/v1/bulkattestations/{many}{path}") == small <= budget, path
