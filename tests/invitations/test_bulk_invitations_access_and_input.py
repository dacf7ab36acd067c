"""Bulk invitations: roles that may not invite get 403 on every page, another partner's job is
404, and bad input is 400 with nothing written."""

from __future__ import annotations

import pytest
from django.utils import timezone

from invitations import bulk
from invitations.models import BulkInvitationJob, BulkJobStatus, Invitation
from tests.invitations.bulk_helpers import customer_of, preview_url, row_of, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(sam, contoso, template_cz):
    customer = customer_of(contoso, "Fresh One")
    return bulk.start_job(
        user=sam, action="invite", selection={"relationship_ids": [row_of(customer)]}
    )


def job_urls(job):
    base = f"/invitations/bulk/{job.public_id}/"
    return [base, base + "status/", base + "results.csv"]


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_agents_who_may_not_invite_are_refused_everywhere(client, request, persona, job, contoso):
    client.force_login(request.getfixturevalue(persona))
    customer = customer_of(contoso, "Another")
    assert client.get(preview_url("invite", customer)).status_code == 403
    assert start(client, "invite", customer).status_code == 403
    for url in job_urls(job):
        assert client.get(url).status_code == 403
    assert BulkInvitationJob.objects.count() == 1


def test_another_partners_job_is_not_found(client, lisa, job):
    client.force_login(lisa)
    for url in job_urls(job):
        assert client.get(url).status_code == 404


def test_a_customer_admin_and_a_visitor_are_kept_out(client, acme_admin, job):
    assert client.get(job_urls(job)[0]).status_code == 302
    client.force_login(acme_admin)
    assert client.get(job_urls(job)[0]).status_code in (302, 403, 404)


def test_another_partners_customers_are_never_reached(client, lisa, litware, acme):
    client.force_login(lisa)
    start(client, "invite", acme)
    job = BulkInvitationJob.objects.get()
    assert job.total == 0
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"action": "delete_everything", "customer": ["1"]},
        {"action": "invite", "customer": ["not-a-number"]},
        {"action": "invite", "customer": ["99999999999999999999999"]},
        {"action": "invite"},
        {"action": "invite", "all_matching": "1", "status": "nonsense"},
        {"action": "invite", "customer": [str(n) for n in range(1, bulk.MAX_PICKED + 2)]},
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(client, sam, data):
    client.force_login(sam)
    assert client.post("/invitations/bulk/start/", data).status_code == 400
    assert client.get("/invitations/bulk/preview/", data).status_code == 400
    assert not BulkInvitationJob.objects.exists()


def test_only_post_starts_a_job(client, sam, contoso, template_cz):
    client.force_login(sam)
    customer = customer_of(contoso, "Fresh")
    url = f"/invitations/bulk/start/?action=invite&customer={row_of(customer)}"
    assert client.get(url).status_code == 405
    assert not BulkInvitationJob.objects.exists()


def test_a_stalled_job_is_picked_up_again_by_the_recoverer(sam, contoso, template_cz, settings):
    customer = customer_of(contoso, "Fresh")
    job = BulkInvitationJob.objects.create(
        partner=contoso,
        created_by=sam,
        action="invite",
        selection={"relationship_ids": [row_of(customer)]},
        updated_at=timezone.now() - bulk.STALLED_AFTER * 2,
    )
    assert bulk.recover() == 1
    job.refresh_from_db()
    assert job.status == BulkJobStatus.COMPLETED
    assert job.invited == 1


def test_the_operator_reads_bulk_jobs_in_the_admin_but_cannot_change_them(client, operator, job):
    client.force_login(operator)
    changelist = client.get("/admin/invitations/bulkinvitationjob/", {"status__exact": "completed"})
    assert changelist.status_code == 200
    page = client.get(f"/admin/invitations/bulkinvitationjob/{job.pk}/change/")
    assert page.status_code == 200
    assert "Fresh One" in page.text or "invited" in page.text.lower()
    assert (
        client.post(
            f"/admin/invitations/bulkinvitationjob/{job.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert client.get("/admin/invitations/bulkinvitationresult/").status_code == 200
