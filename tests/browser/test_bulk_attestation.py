"""Bulk attestation in real Chromium: upload a CSV → preview → run → the progress bar, polled
without reloading, reaches 100 % with the counts → download the result CSV; axe-clean at every
step, in English and in Czech. An indirect reseller's agent asks its provider the same way (R3).

The job's task is held (the dummy backend) so that the page shows it queued and polls; the test
then runs it a row at a time, as the worker would. Every status request the page makes is let
through by the test thread (page.route), so the server never reads while the test writes."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agreements.models import Acceptance, AttestationRequest
from bulk import services
from bulk.models import BulkJob, Status
from tests import factories as f
from tests.browser.support import assert_accessible, sign_in, switch_language

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "TenantId,Domain,FirstName,LastName,Email,PhoneNumber,DateAgreed,TemplateId"


@pytest.fixture
def held_tasks(settings, monkeypatch):
    """Jobs wait to be run by the test; one row a batch, so progress shows step by step."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "QUEUES": ["default", "email"],
        }
    }
    monkeypatch.setattr(services, "BATCH_SIZE", 1)


@pytest.fixture
def customers(contoso, template_cz):
    made = []
    for name in ("Acme", "Beta", "Gamma", "Delta"):
        customer = f.CustomerFactory(
            company_name=f"{name} s.r.o.", domain=f"{name.lower()}.onmicrosoft.com"
        )
        f.RelationshipFactory(partner=contoso, customer=customer)
        made.append(customer)
    return made


def csv_bytes(*lines: str, separator: str = ",") -> bytes:
    text = "\r\n".join([HEADER.replace(",", separator), *lines]) + "\r\n"
    return text.encode("utf-8-sig")


def line(customer, *, date: str, email: str = "jana@example.cz", separator: str = ",") -> str:
    tenant = str(customer.tenant_id) if customer is not None else ""
    domain = "" if customer is not None else "nobody.onmicrosoft.com"
    return separator.join([tenant, domain, "Jana", "Nováková", email, "", date, ""])


def upload(page, name: str, content: bytes, *, check: str) -> None:
    page.locator("#id_file").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name=check).click()
    page.wait_for_url("**/bulk/*/")


def let_status_requests_through(page) -> list[str]:
    """The status URLs the page fetched, each passed on only while the test waits on the page."""
    fetched: list[str] = []

    def through(route):
        fetched.append(route.request.url)
        route.continue_()

    page.route("**/status.json", through)
    return fetched


def download(page, name: str) -> list[list[str]]:
    with page.expect_download() as info:
        page.get_by_role("link", name=name).click()
    text = open(info.value.path(), encoding="utf-8-sig").read()
    return list(csv.reader(io.StringIO(text)))


def test_an_agent_runs_a_bulk_attestation_and_watches_it_finish(
    live_server, page, sam, customers, held_tasks
):
    acme, beta, *_rest = customers
    agreed = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    fetched = let_status_requests_through(page)

    page.goto(f"{live_server.url}/bulk/")
    assert_accessible(page)
    page.get_by_role("link", name="New bulk attestation").click()
    assert page.get_by_role("heading", level=1).inner_text() == "New bulk attestation"
    assert_accessible(page)

    upload(
        page,
        "customers.csv",
        csv_bytes(line(acme, date=agreed), line(beta, date=tomorrow), line(None, date=agreed)),
        check="Check the file",
    )
    assert page.get_by_role("heading", level=1).inner_text() == "Preview of customers.csv"
    counts = page.locator("#preview-counts").inner_text()
    assert "Rows\n3" in counts and "Ready to record\n1" in counts and "With a problem\n2" in counts
    problems = page.get_by_role("table").inner_text()
    assert "60003" in problems and "No such customer." in problems
    assert "800002" in problems
    assert_accessible(page)
    assert not Acceptance.objects.exists()

    page.get_by_label("Valid rows only").check()
    page.get_by_role("button", name="Run the job").click()
    page.wait_for_url("**/bulk/*/")
    job = BulkJob.objects.get()
    assert job.status == Status.QUEUED
    expect(page.locator("#job-progress-bar")).to_have_attribute("value", "0")
    assert_accessible(page)

    # The worker does the first row; the page, without reloading, shows a third done.
    assert services.run_batch(job.pk)
    expect(page.locator("#job-progress [data-field=percent]")).to_have_text("33")
    expect(page.locator("#job-progress [data-field=succeeded]")).to_have_text("1")
    expect(page.locator("#job-progress [data-field=statusLabel]")).to_have_text("Running")

    services.run_job(job.pk)
    expect(page.locator("#job-progress [data-field=percent]")).to_have_text("100")
    expect(page.locator("#job-progress-bar")).to_have_attribute("value", "100")
    expect(page.locator("#job-progress [data-field=statusLabel]")).to_have_text("Completed")
    expect(page.locator("#job-progress [data-field=total]")).to_have_text("3")
    expect(page.locator("#job-progress [data-field=succeeded]")).to_have_text("1")
    expect(page.locator("#job-progress [data-field=failed]")).to_have_text("2")
    expect(page.locator("#job-cancel")).to_be_hidden()
    assert len(fetched) >= 2
    assert_accessible(page)

    page.get_by_role("link", name="Show the results").click()
    rows = download(page, "Download the results (CSV)")
    assert rows[0][-4:] == ["Outcome", "RecordId", "ErrorCode", "Message"]
    record = Acceptance.objects.get()
    assert record.customer == acme
    assert [(r[0], r[8], r[9], r[10]) for r in rows[1:]] == [
        (str(acme.tenant_id), "succeeded", str(record.public_id), ""),
        (str(beta.tenant_id), "failed", "", "800002"),
        ("", "failed", "", "60003"),
    ]
    assert_accessible(page)


def test_a_czech_agent_runs_an_all_or_nothing_job_from_a_semicolon_file(
    live_server, page, sam, customers, held_tasks
):
    *_done, gamma, delta = customers
    agreed = (timezone.localdate() - datetime.timedelta(days=30)).strftime("%d.%m.%Y")
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    fetched = let_status_requests_through(page)
    page.goto(f"{live_server.url}/bulk/new/")
    switch_language(page, "cs")
    assert page.get_by_role("heading", level=1).inner_text() == "Nové hromadné potvrzení přijetí"
    assert_accessible(page)

    upload(
        page,
        "zakaznici.csv",
        csv_bytes(
            line(gamma, date=agreed, separator=";"),
            line(delta, date=agreed, email="petr@example.cz", separator=";"),
            separator=";",
        ),
        check="Zkontrolovat soubor",
    )
    assert "zakaznici.csv" in page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page)

    page.get_by_label("Vše, nebo nic").check()
    page.get_by_role("button", name="Spustit úlohu").click()
    page.wait_for_url("**/bulk/*/")
    expect(page.locator("#job-progress-bar")).to_have_attribute("value", "0")
    assert_accessible(page)

    services.run_job(BulkJob.objects.get().pk)
    expect(page.locator("#job-progress [data-field=percent]")).to_have_text("100")
    expect(page.locator("#job-progress [data-field=statusLabel]")).to_have_text("Dokončeno")
    expect(page.locator("#job-progress [data-field=succeeded]")).to_have_text("2")
    expect(page.locator("#job-progress [data-field=failed]")).to_have_text("0")
    assert fetched
    assert_accessible(page)

    page.get_by_role("link", name="Zobrazit výsledky").click()
    rows = download(page, "Stáhnout výsledky (CSV)")
    assert [r[8] for r in rows[1:]] == ["succeeded", "succeeded"]
    assert Acceptance.objects.filter(customer__in=[gamma, delta]).count() == 2
    assert_accessible(page)

    page.get_by_role("link", name="Hromadné úlohy").first.click()
    assert "zakaznici.csv" in page.get_by_role("table").inner_text()
    assert_accessible(page)


def test_a_reseller_asks_its_provider_in_bulk(live_server, page, nora, northwind, frank, initech):
    on_record = f.CustomerFactory(company_name="Umbrella", domain="umbrella.onmicrosoft.com")
    f.RelationshipFactory(partner=northwind, customer=on_record)
    f.attest(on_record, frank)
    agreed = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    sign_in(page, live_server.url, nora.email, f.PASSWORD)
    page.goto(f"{live_server.url}/bulk/")
    page.get_by_role("link", name="Ask your provider to attest, in bulk").click()
    assert "Fabrikam Distribution" in page.locator("main").inner_text()
    assert_accessible(page)

    upload(
        page,
        "asks.csv",
        csv_bytes(line(initech, date=agreed), line(on_record, date=agreed)),
        check="Check the file",
    )
    counts = page.locator("#preview-counts").inner_text()
    assert "Ready to ask\n1" in counts and "Skipped\n1" in counts
    assert "nothing to ask your provider" in page.locator("#skipped-rows").inner_text()
    assert_accessible(page)

    page.get_by_role("button", name="Ask Fabrikam Distribution to attest").click()
    page.wait_for_url("**/bulk/*/")
    expect(page.locator("#job-progress [data-field=percent]")).to_have_text("100")
    expect(page.locator("#job-progress [data-field=skipped]")).to_have_text("1")
    assert_accessible(page)
    rows = download(page, "Download the results (CSV)")
    assert [r[8] for r in rows[1:]] == ["succeeded", "skipped"]
    assert AttestationRequest.objects.get().customer == initech

    switch_language(page, "cs")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Žádosti poskytovateli o potvrzení přijetí"
    )
    assert_accessible(page)
