"""Scoped reads of bulk jobs: an agent sees its own partner's jobs and nobody else's."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import Http404

from bulk.models import BulkJob, BulkRow, Outcome, Status
from portal.models import User
from portal.permissions import is_agent


def jobs_for(user: User) -> QuerySet[BulkJob]:
    """The partner's jobs that were started (a preview nobody ran is its author's alone)."""
    if not is_agent(user) or user.partner_id is None:
        return BulkJob.objects.none()
    return BulkJob.objects.filter(partner_id=user.partner_id).exclude(status=Status.DRAFT)


def job_for(user: User, public_id: uuid.UUID | str, *, drafts: bool = True) -> BulkJob:
    """One of the partner's jobs (and the agent's own previews), or 404."""
    if not is_agent(user) or user.partner_id is None:
        raise Http404("No such job.")
    job = (
        BulkJob.objects.filter(partner_id=user.partner_id, public_id=public_id)
        .select_related("created_by", "partner__provider")
        .first()
    )
    if job is None or (job.status == Status.DRAFT and (not drafts or job.created_by_id != user.pk)):
        raise Http404("No such job.")
    return job


def problems(job: BulkJob, limit: int) -> list[BulkRow]:
    """The rows with a finding, in file order, as many as a page shows."""
    return list(job.rows.filter(code__isnull=False).order_by("number")[:limit])


def skipped(job: BulkJob, limit: int) -> list[BulkRow]:
    """A request job's rows with nothing to ask, in file order, as many as a page shows."""
    return list(job.rows.filter(outcome=Outcome.SKIPPED).order_by("number")[:limit])


def problem_count(job: BulkJob) -> int:
    return job.rows.filter(code__isnull=False).count()
