"""Bulk invitations: the preview says who is invited and who skipped and why (the single
flow's rules), the job invites through the same services, one email per invitation."""

from __future__ import annotations

import csv
import io

import pytest
from django.core import mail

from customers.models import AgreementStatus
from invitations import bulk
from invitations.models import (
    BulkInvitationJob,
    BulkInvitationResult,
    BulkJobStatus,
    BulkOutcome,
    Invitation,
    InvitationStatus,
)
from portal.models import OutboxMessage
from tests.invitations.bulk_helpers import customer_of, invited, preview_url, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(contoso, sam, template_cz):
    mail.outbox.clear()
    return {
        "fresh": customer_of(contoso, "Fresh One"),
        "fresh2": customer_of(contoso, "Fresh Two"),
        "attested": customer_of(contoso, "Attested Co", AgreementStatus.ATTESTED),
        "blocked": customer_of(contoso, "Blocked Co", AgreementStatus.BLOCKED),
        "open": invited(contoso, sam, "Open Co"),
    }


def test_the_preview_lists_who_is_invited_and_who_skipped_and_why(client, sam, mixed):
    client.force_login(sam)
    page = client.get(preview_url("invite", *mixed.values()))
    assert page.status_code == 200
    text = page.text
    assert "5 customers are selected." in text
    assert "2 will be invited, 3 skipped." in text
    assert "already on record" in text
    assert "Blocked: the customer has bought before" in text
    assert "An invitation is already open" in text
    assert Invitation.objects.count() == 1  # the preview writes nothing
    assert not BulkInvitationJob.objects.exists()


def test_the_job_invites_the_eligible_through_the_outbox_and_records_each_result(
    client, sam, mixed
):
    client.force_login(sam)
    response = start(client, "invite", *mixed.values())
    job = BulkInvitationJob.objects.get()
    assert response.status_code == 302
    assert response.url == f"/invitations/bulk/{job.public_id}/"
    assert job.status == BulkJobStatus.COMPLETED
    assert (job.total, job.processed, job.invited, job.skipped, job.failed) == (5, 5, 2, 3, 0)
    reasons = dict(
        BulkInvitationResult.objects.filter(job=job).values_list(
            "relationship__customer__company_name", "reason"
        )
    )
    assert reasons == {
        "Fresh One": "",
        "Fresh Two": "",
        "Attested Co": "on_record",
        "Blocked Co": "blocked",
        "Open Co": "open_invitation",
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [mixed["fresh"].contact_email, mixed["fresh2"].contact_email]
    )
    for result in BulkInvitationResult.objects.filter(outcome=BulkOutcome.INVITED):
        assert result.invitation.created_by == sam
        assert result.invitation.sent_at is not None
        key = f"invitation:{result.invitation_id}:sent"
        assert OutboxMessage.objects.filter(dedupe_key=key).exists()
    page = client.get(response.url).text
    assert "Fresh One" in page and "Download the results (CSV)" in page


def test_a_job_run_again_sends_no_second_email(client, sam, mixed):
    client.force_login(sam)
    start(client, "invite", *mixed.values())
    job = BulkInvitationJob.objects.get()
    invitations = Invitation.objects.count()
    # A worker that died after the batch committed: the job is run again from the start.
    BulkInvitationJob.objects.filter(pk=job.pk).update(status=BulkJobStatus.RUNNING, cursor=0)
    bulk.run_job.call(job.pk)
    assert Invitation.objects.count() == invitations
    assert len(mail.outbox) == 2
    assert BulkInvitationResult.objects.filter(job=job).count() == 5


def test_resend_lapsed_resends_only_lapsed_invitations(client, sam, contoso, template_cz):
    lapsed = invited(contoso, sam, "Lapsed Co", lapsed=True)
    never = customer_of(contoso, "Never Invited")
    mail.outbox.clear()
    client.force_login(sam)
    start(client, "resend_lapsed", lapsed, never)
    job = BulkInvitationJob.objects.get()
    assert (job.invited, job.skipped) == (1, 1)
    skipped = BulkInvitationResult.objects.get(outcome=BulkOutcome.SKIPPED)
    assert skipped.reason == "not_lapsed"
    [email] = mail.outbox
    assert email.to == [lapsed.contact_email]
    new = BulkInvitationResult.objects.get(outcome=BulkOutcome.INVITED).invitation
    assert new.status == InvitationStatus.PENDING
    assert Invitation.objects.filter(replaced_by=new).exists()


def test_all_matching_the_filter_walks_the_filter_in_batches(
    client, sam, contoso, template_cz, monkeypatch
):
    monkeypatch.setattr(bulk, "BATCH_SIZE", 4)
    for n in range(10):
        customer_of(contoso, f"Zelenina {n}")
    customer_of(contoso, "Other Name")
    client.force_login(sam)
    preview = client.get(
        "/invitations/bulk/preview/", {"action": "invite", "all_matching": "1", "q": "Zelenina"}
    )
    assert "10 customers are selected." in preview.text
    response = client.post(
        "/invitations/bulk/start/", {"action": "invite", "all_matching": "1", "q": "Zelenina"}
    )
    job = BulkInvitationJob.objects.get()
    assert job.selection == {"filter": {"q": "Zelenina"}}
    assert (job.status, job.total, job.invited) == (BulkJobStatus.COMPLETED, 10, 10)
    assert len(mail.outbox) == 10
    assert response.status_code == 302


def test_a_providers_job_skips_its_resellers_customers(
    client, frank, fabrikam, northwind, template_cz
):
    own = customer_of(fabrikam, "Provider Own")
    resellers = customer_of(northwind, "Reseller Customer")
    client.force_login(frank)
    start(client, "invite", own, resellers)
    outcomes = dict(
        BulkInvitationResult.objects.values_list("relationship__customer__company_name", "reason")
    )
    assert outcomes == {"Provider Own": "", "Reseller Customer": "not_allowed"}


def test_a_refusal_by_the_service_is_a_skip_with_its_message(client, sam, contoso, template_cz):
    nowhere = customer_of(contoso, "No Agreement Country", country="DE")
    client.force_login(sam)
    start(client, "invite", nowhere)
    result = BulkInvitationResult.objects.get()
    assert (result.outcome, result.reason) == (BulkOutcome.SKIPPED, "no_document")
    assert "No Microsoft Customer Agreement is published" in result.message
    assert mail.outbox == []


def test_the_status_url_reports_progress(client, sam, mixed):
    client.force_login(sam)
    start(client, "invite", *mixed.values())
    job = BulkInvitationJob.objects.get()
    status = client.get(f"/invitations/bulk/{job.public_id}/status/").json()
    assert status["finished"] is True
    assert status["percent"] == 100
    assert (status["invited"], status["skipped"], status["total"]) == (2, 3, 5)


def test_the_results_csv_neutralises_formulas(client, sam, contoso, template_cz):
    customer_of(contoso, '=HYPERLINK("http://evil")')
    client.force_login(sam)
    client.post(
        "/invitations/bulk/start/", {"action": "invite", "all_matching": "1", "q": "HYPERLINK"}
    )
    job = BulkInvitationJob.objects.get()
    response = client.get(f"/invitations/bulk/{job.public_id}/results.csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:4] == ["Tenant ID", "Domain", "Company name", "Outcome"]
    assert rows[1][2] == '\'=HYPERLINK("http://evil")'


def test_the_customers_list_offers_checkboxes_to_those_who_may_invite(client, sam, hana, mixed):
    client.force_login(sam)
    page = client.get("/customers/").text
    assert 'form="customers-bulk"' in page
    assert "Invite to accept the MCA in the admin center" in page
    client.force_login(hana)
    page = client.get("/customers/").text
    assert 'form="customers-bulk"' not in page
    assert "Re-send lapsed invitations" not in page
