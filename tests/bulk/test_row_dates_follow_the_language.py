"""A row's finding writes its dates as the agent's page does (a preview in Czech says Czech
dates); a job started through the API writes them in ISO 8601, as the API does."""

from __future__ import annotations

import datetime

import time_machine

from bulk.models import BulkJob
from bulk.services import _dates_for
from portal.dates import message_date
from tests.bulk.conftest import csv_file, row
from tests.bulk.test_api import item

TODAY = "2026-03-10 12:00 +01:00"


def _message(number: int = 2) -> str:
    return BulkJob.objects.get().rows.get(number=number).message


@time_machine.travel(TODAY)
def test_a_czech_preview_writes_czech_dates(client, sam, acme):
    client.force_login(sam)
    client.post(
        "/bulk/new/", {"file": csv_file(row(acme, date="2026-03-11"))}, HTTP_ACCEPT_LANGUAGE="cs"
    )
    assert "(dnes je 10. března 2026)" in _message()


@time_machine.travel(TODAY)
def test_an_english_preview_writes_english_dates(upload, sam, acme):
    upload(sam, csv_file(row(acme, date="2026-03-11")))
    assert "(today is March 10, 2026)" in _message()


@time_machine.travel(TODAY)
def test_an_api_job_writes_iso_dates_in_any_language(api_as, sam, acme):
    api = api_as(sam)
    response = api.post_json(
        "/v1/bulkattestations",
        {"mode": "validOnly", "items": [item(acme, date="2026-03-11")]},
        HTTP_ACCEPT_LANGUAGE="cs",
    )
    assert response.status_code == 202, response.content
    results = api.get(f"/v1/bulkattestations/{response.json()['id']}/results").json()["items"]
    assert "(dnes je 2026-03-10)" in results[0]["description"], results
    assert "března" not in results[0]["description"]


def test_the_worker_writes_an_api_jobs_dates_as_the_api_does():
    date = message_date(datetime.date(2026, 3, 10))
    with _dates_for(BulkJob(source="api")):
        assert str(date) == "2026-03-10"
    with _dates_for(BulkJob(source="web")):
        assert str(date) == "March 10, 2026"
