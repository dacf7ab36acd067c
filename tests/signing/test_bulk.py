"""Signing links in bulk from the customers list: the preview says who gets a link (to whom,
in which agreement) and who is skipped and why; the job starts each request through the single
flow's service and emails it through the outbox (once, held to the partner's rate); a result
per customer and a result CSV. Admin and sales agents of partners that may attest; others 403."""

from __future__ import annotations

import csv
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import OutboxMessage
from signing import bulk, services
from signing.models import (
    BulkSigningJob,
    BulkSigningOutcome,
    BulkSigningResult,
    BulkSigningStatus,
    SigningRequest,
    SigningStatus,
)
from tests import factories as f
from tests.invitations.bulk_helpers import customer_of, row_of
from tests.signing.conftest import SIGNATORY

pytestmark = pytest.mark.django_db

PREVIEW = "/signing/bulk/preview/"
START = "/signing/bulk/start/"


def rows(*customers) -> list[str]:
    return [str(row_of(customer)) for customer in customers]


def start(client, *customers, **extra):
    return client.post(START, {"customer": rows(*customers), **extra})


@pytest.fixture
def mixed(contoso, sam, template_cz, start_signing):
    mail.outbox.clear()
    customers = {
        "fresh": customer_of(contoso, "Fresh One"),
        "english": customer_of(contoso, "English Co", country="US", language="en"),
        "on_record": customer_of(contoso, "On Record Co"),
        "open": customer_of(contoso, "Open Link Co"),
        "no_email": customer_of(contoso, "No Email Co", contact_email=""),
        "no_agreement": customer_of(contoso, "Nowhere Co", country="DE", language="de"),
    }
    f.attest(customers["on_record"], sam)
    start_signing(customers["open"], signatory=SIGNATORY)
    mail.outbox.clear()
    return customers


def test_the_preview_names_each_signatory_and_agreement_and_why_others_are_skipped(
    client, sam, mixed
):
    client.force_login(sam)
    page = client.get(PREVIEW, {"customer": rows(*mixed.values())})
    assert page.status_code == 200
    text = page.text
    assert "6 customers are selected." in text
    assert "2 will get a signing link, 4 skipped." in text
    reasons = dict(
        (step.relationship.customer.company_name, step.skip.reason if step.skip else "")
        for step in page.context["plans"]
    )
    assert reasons == {
        "Fresh One": "",
        "English Co": "",
        "On Record Co": "on_record",
        "Open Link Co": "open",
        "No Email Co": "no_email",
        "Nowhere Co": "no_agreement",
    }
    assert mixed["fresh"].contact_email in text and "cs-CZ" in text and "en-US" in text
    assert "jana@acme.example" in text  # the open link's signatory is named
    assert SigningRequest.objects.count() == 1  # the preview writes nothing
    assert not BulkSigningJob.objects.exists()


def test_the_job_starts_and_emails_each_eligible_link_and_records_every_result(
    client, sam, contoso, mixed
):
    client.force_login(sam)
    response = start(client, *mixed.values(), expires_in_days="7")
    job = BulkSigningJob.objects.get()
    assert response.status_code == 302 and response.url == f"/signing/bulk/{job.public_id}/"
    assert job.status == BulkSigningStatus.COMPLETED
    assert (job.total, job.processed, job.started, job.skipped, job.failed) == (6, 6, 2, 4, 0)
    reasons = dict(
        BulkSigningResult.objects.filter(job=job).values_list(
            "relationship__customer__company_name", "reason"
        )
    )
    assert reasons["Fresh One"] == reasons["English Co"] == ""
    assert reasons["Open Link Co"] == "open" and reasons["No Email Co"] == "no_email"
    started = SigningRequest.objects.filter(
        pk__in=BulkSigningResult.objects.filter(outcome=BulkSigningOutcome.STARTED).values(
            "signing_request"
        )
    )
    languages = {request.customer.company_name: request.language for request in started}
    assert languages == {"Fresh One": "cs-CZ", "English Co": "en-US"}
    for request in started:
        assert request.started_by == sam and request.partner == contoso
        assert request.email == request.customer.contact_email
        assert (request.expires_at - request.created_at).days == 7
        message = OutboxMessage.objects.get(dedupe_key=f"signing:{request.pk}:link")
        # Held to the partner's email rate; once sent, the kept copy has no token.
        assert message.partner_id == contoso.pk
        assert "/sign/…/" in message.body_text
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [mixed["fresh"].contact_email, mixed["english"].contact_email]
    )
    page = client.get(response.url).text
    assert "Fresh One" in page and "Download the results (CSV)" in page


def test_a_job_run_again_starts_and_emails_nothing_twice(client, sam, mixed):
    client.force_login(sam)
    start(client, *mixed.values())
    job = BulkSigningJob.objects.get()
    requests, emails = SigningRequest.objects.count(), len(mail.outbox)
    # A worker that died after the batch committed: the job is run again from the start.
    BulkSigningJob.objects.filter(pk=job.pk).update(status=BulkSigningStatus.RUNNING, cursor=0)
    bulk.run_job.call(job.pk)
    assert SigningRequest.objects.count() == requests
    assert len(mail.outbox) == emails == 2
    assert BulkSigningResult.objects.filter(job=job).count() == 6
    # And a second job for the same customers: their links are open now.
    start(client, mixed["fresh"], mixed["english"])
    second = BulkSigningJob.objects.order_by("-pk").first()
    assert (second.started, second.skipped) == (0, 2)
    assert len(mail.outbox) == 2


def test_whoever_accepted_last_signs_when_chosen(client, sam, contoso, template_cz):
    customer = customer_of(contoso, "Older Version Co")
    f.attest(customer, sam, first_name="Petr", last_name="Dvořák", email="petr@older.example")
    # A newer version is in force now: the record of the older one doesn't count as on record.
    f.AgreementDocumentFactory(country="CZ", language="cs-CZ")
    f.AgreementDocumentFactory(country="CZ", language="cs-CZ")
    client.force_login(sam)
    page = client.get(PREVIEW, {"customer": rows(customer), "signatory": "last_signatory"})
    (step,) = page.context["plans"]
    assert step.skip is None and step.signatory.email == "petr@older.example"
    start(client, customer, signatory="last_signatory")
    request = SigningRequest.objects.get()
    assert (request.first_name, request.email) == ("Petr", "petr@older.example")
    contact = client.get(PREVIEW, {"customer": rows(customer)}).context["plans"][0]
    assert contact.skip.reason == "open"


def test_all_matching_the_filter_walks_it_in_batches(
    client, sam, contoso, template_cz, monkeypatch
):
    monkeypatch.setattr(bulk, "BATCH_SIZE", 4)
    for n in range(10):
        customer_of(contoso, f"Zelenina {n}")
    customer_of(contoso, "Other Name")
    mail.outbox.clear()
    client.force_login(sam)
    preview = client.get(PREVIEW, {"all_matching": "1", "q": "Zelenina"})
    assert "10 customers are selected." in preview.text
    client.post(START, {"all_matching": "1", "q": "Zelenina"})
    job = BulkSigningJob.objects.get()
    assert job.selection == {"filter": {"q": "Zelenina"}}
    assert (job.status, job.total, job.started) == (BulkSigningStatus.COMPLETED, 10, 10)
    assert len(mail.outbox) == 10


def test_a_provider_sends_links_for_its_resellers_customers_too(
    client, frank, fabrikam, northwind, template_cz
):
    own = customer_of(fabrikam, "Provider Own")
    resold = customer_of(northwind, "Reseller Customer")
    client.force_login(frank)
    start(client, own, resold)
    job = BulkSigningJob.objects.get()
    assert (job.started, job.skipped) == (2, 0)
    assert set(SigningRequest.objects.values_list("partner", flat=True)) == {fabrikam.pk}


def test_another_partners_customers_are_not_reached(client, sam, globex, template_cz):
    client.force_login(sam)
    start(client, globex)
    job = BulkSigningJob.objects.get()
    assert (job.total, job.processed) == (0, 0)
    assert not SigningRequest.objects.exists()


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_read_only_agents_are_refused_everything(client, request, persona, sam, mixed):
    client.force_login(sam)
    start(client, mixed["fresh"])
    job = BulkSigningJob.objects.get()
    client.force_login(request.getfixturevalue(persona))
    selection = {"customer": rows(mixed["fresh"])}
    assert client.get(PREVIEW, selection).status_code == 403
    assert client.post(START, selection).status_code == 403
    for suffix in ("", "status/", "results.csv"):
        assert client.get(f"/signing/bulk/{job.public_id}/{suffix}").status_code == 403
    assert BulkSigningJob.objects.count() == 1


def test_a_resellers_agent_is_told_its_provider_attests(client, nora, northwind, template_cz):
    customer = customer_of(northwind, "Reseller Customer")
    client.force_login(nora)
    response = client.get(PREVIEW, {"customer": rows(customer)})
    assert response.status_code == 403
    assert "Fabrikam Distribution" in response.text
    assert client.post(START, {"customer": rows(customer)}).status_code == 403
    assert not BulkSigningJob.objects.exists()
    assert "Send signing links" not in client.get("/customers/").text


def test_another_partners_job_is_not_found(client, sam, lisa, mixed):
    client.force_login(sam)
    start(client, mixed["fresh"])
    job = BulkSigningJob.objects.get()
    client.force_login(lisa)
    for suffix in ("", "status/", "results.csv"):
        assert client.get(f"/signing/bulk/{job.public_id}/{suffix}").status_code == 404


def test_a_customer_admin_and_anonymous_are_refused(client, acme_admin, acme):
    selection = {"customer": rows(acme)}
    response = client.get(PREVIEW, selection)
    assert response.status_code == 302 and "/login/" in response.url
    client.force_login(acme_admin)
    assert client.get(PREVIEW, selection).status_code == 403
    assert client.post(START, selection).status_code == 403


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"customer": ["x"]},
        {"customer": ["1"], "signatory": "someone"},
        {"customer": ["1"], "expires_in_days": "0"},
        {"customer": ["1"], "expires_in_days": "31"},
        {"all_matching": "1", "status": "nonsense"},
    ],
)
def test_bad_input_is_a_400_and_starts_nothing(client, sam, acme, data):
    client.force_login(sam)
    assert client.post(START, data).status_code == 400
    assert not BulkSigningJob.objects.exists()


def test_nothing_selected_says_so(client, sam, acme):
    client.force_login(sam)
    response = client.get(PREVIEW)
    assert response.status_code == 400
    assert "No customers were selected." in response.text


def test_the_status_url_reports_progress(client, sam, mixed):
    client.force_login(sam)
    start(client, *mixed.values())
    job = BulkSigningJob.objects.get()
    status = client.get(f"/signing/bulk/{job.public_id}/status/").json()
    assert status["finished"] is True and status["percent"] == 100
    assert (status["started"], status["skipped"], status["total"]) == (2, 4, 6)


def test_the_results_csv_names_each_link_and_neutralises_formulas(
    client, sam, contoso, template_cz
):
    customer_of(contoso, '=HYPERLINK("http://evil")')
    client.force_login(sam)
    client.post(START, {"all_matching": "1", "q": "HYPERLINK"})
    job = BulkSigningJob.objects.get()
    response = client.get(f"/signing/bulk/{job.public_id}/results.csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(body)))
    assert lines[0] == [
        "Tenant ID",
        "Domain",
        "Company name",
        "Outcome",
        "Reason",
        "Message",
        "Signatory email",
        "Attestation ID",
        "Expires",
    ]
    assert lines[1][2] == '\'=HYPERLINK("http://evil")'
    request = SigningRequest.objects.get()
    assert lines[1][3] == "Link sent" and lines[1][7] == str(request.public_id)
    assert request.status == SigningStatus.PENDING


def test_the_customers_list_offers_bulk_signing_to_those_who_may_attest(
    client, sam, alice, hana, bill, acme
):
    for agent in (sam, alice):
        client.force_login(agent)
        page = client.get("/customers/").text
        assert 'formaction="/signing/bulk/preview/"' in page and 'id="customers-bulk"' in page
    for agent in (hana, bill):
        client.force_login(agent)
        assert "Send signing links" not in client.get("/customers/").text


def queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


def test_the_preview_and_job_pages_dont_grow_with_the_selection(client, sam, contoso, template_cz):
    client.force_login(sam)
    few = [customer_of(contoso, f"Few {n}") for n in range(3)]
    many = [customer_of(contoso, f"Many {n}") for n in range(30)]
    for customer in few[:1] + many[:5]:
        f.attest(customer, sam)
    assert queries(client, PREVIEW, {"customer": rows(*few)}) == queries(
        client, PREVIEW, {"customer": rows(*many)}
    )
    start(client, *few)
    start(client, *many)
    small, big = BulkSigningJob.objects.order_by("pk")
    for suffix in ("", "status/"):
        assert queries(client, f"/signing/bulk/{small.public_id}/{suffix}", {}) == queries(
            client, f"/signing/bulk/{big.public_id}/{suffix}", {}
        )


def test_the_service_still_refuses_what_the_preview_let_through(
    client, sam, contoso, template_cz, monkeypatch
):
    """Between the preview and the job a link was started for the same signatory: the
    service's own check makes it a skip with its message, and nothing is sent."""
    customer = customer_of(contoso, "Raced Co")
    client.force_login(sam)
    original = bulk.plan

    def plan_without_open_links(relationships, partner, source, documents, now=None):
        steps = original(relationships, partner, source, documents, now)
        services.start_signing(
            customer=customer,
            partner=contoso,
            started_by=sam,
            signatory=steps[0].signatory,
            document=steps[0].document,
        )
        return steps

    mail.outbox.clear()
    monkeypatch.setattr(bulk, "plan", plan_without_open_links)
    start(client, customer)
    result = BulkSigningResult.objects.get()
    assert (result.outcome, result.reason) == (BulkSigningOutcome.SKIPPED, "open")
    assert "already open" in result.message
    assert mail.outbox == []


def test_a_reseller_is_skipped_with_its_provider_named(northwind, template_cz):
    """The job plans again with the job's partner: a partner that may not attest (a reseller)
    starts nothing, and each result names its provider."""
    customer = customer_of(northwind, "Reseller Customer")
    from customers.models import Relationship
    from signing.selectors import documents_in_force

    relationship = Relationship.objects.select_related("customer").get(customer=customer)
    (step,) = bulk.plan([relationship], northwind, "contact", documents_in_force())
    assert step.skip.reason == "reseller"
    assert "Fabrikam Distribution" in step.skip.message


def test_operators_read_bulk_signing_jobs_and_results_in_the_admin(client, sam, operator, mixed):
    from django.urls import reverse

    client.force_login(sam)
    start(client, *mixed.values())
    job = BulkSigningJob.objects.get()
    result = BulkSigningResult.objects.filter(job=job).first()
    client.force_login(operator)
    assert client.get(reverse("admin:signing_bulksigningjob_changelist")).status_code == 200
    page = client.get(reverse("admin:signing_bulksigningjob_change", args=[job.pk]))
    assert page.status_code == 200 and 'name="status"' not in page.text
    assert (
        client.get(reverse("admin:signing_bulksigningresult_change", args=[result.pk])).status_code
        == 200
    )
    refused = client.post(
        reverse("admin:signing_bulksigningjob_change", args=[job.pk]), {"status": "queued"}
    )
    assert refused.status_code == 403


def test_the_partners_email_rate_holds_back_a_big_job(client, sam, contoso, template_cz, settings):
    """More links than the partner may email in a minute: the rest wait in the outbox for the
    window to move (deferred, never dropped, never sent twice)."""
    from portal.models import OutboxStatus

    settings.EMAIL_RATE_PER_PARTNER_PER_MINUTE = 2
    customers = [customer_of(contoso, f"Rated {n}") for n in range(5)]
    mail.outbox.clear()
    client.force_login(sam)
    start(client, *customers)
    job = BulkSigningJob.objects.get()
    assert job.started == 5
    links = OutboxMessage.objects.filter(dedupe_key__startswith="signing:")
    assert links.count() == 5
    assert len(mail.outbox) == 2
    assert links.filter(status=OutboxStatus.PENDING).count() == 3
