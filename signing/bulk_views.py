"""Signing links in bulk, on the web: the customers list's selection, the preview, the job and
its results (signing.bulk does the work). Admin and sales agents of a partner that may attest;
a reseller's agents are told that their provider attests (403), everyone else gets 403."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from agreements.services import reseller_cannot_attest_message
from invitations.bulk import selected
from invitations.bulk_views import (
    hidden_fields,
    job_status_response,
    own_job,
    render_job_page,
    results_csv_response,
    selection_from,
)
from portal import permissions
from portal.decorators import AgentRequest, agent_required
from portal.fragments import Fragment
from signing import bulk, selectors
from signing.models import (
    DEFAULT_EXPIRY_DAYS,
    MAX_EXPIRY_DAYS,
    BulkSigningJob,
    BulkSigningResult,
    SignatorySource,
)

PREVIEW_ROWS = 50
# Counted exactly up to here; past it the preview says "more than".
COUNT_LIMIT = 10_000


def list_selection(request: AgentRequest) -> Fragment | None:
    """The customers list's bulk actions (customers.panels.list_bulk_actions): a button that
    sends the list's selection — the rows' checkboxes and "all matching", which belong to the
    form ``customers-bulk`` the invitations' builder renders first (whoever may attest may
    invite) — to this preview instead."""
    if not permissions.can_attest(request.user):
        return None
    return Fragment("signing/_customers_list_bulk.html", {})


def attesters_only(view: Callable) -> Callable:
    """Agents who may attest; a reseller's write agents see why not (their provider named)."""

    @wraps(view)
    def wrapper(request: AgentRequest, *args: Any, **kwargs: Any):
        if not permissions.can_attest(request.user):
            if permissions.can_request_attestation(request.user) and request.user.partner:
                return render(
                    request,
                    "signing/bulk_reseller.html",
                    {"message": reseller_cannot_attest_message(request.user.partner)},
                    status=403,
                )
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return agent_required(wrapper)


def _source(data: Any) -> str:
    source = data.get("signatory") or SignatorySource.CONTACT
    if source not in SignatorySource.values:
        raise BadRequest("Unknown signatory.")
    return source


def _expiry(data: Any) -> int:
    value = data.get("expires_in_days") or str(DEFAULT_EXPIRY_DAYS)
    if not value.isdigit() or not 1 <= int(value) <= MAX_EXPIRY_DAYS:
        raise BadRequest(f"A signing link lives 1 to {MAX_EXPIRY_DAYS} days.")
    return int(value)


@never_cache
@attesters_only
@require_GET
def preview(request: AgentRequest):
    """Who will get a link (to whom, in which agreement) and who is skipped, and why: every
    customer of a picked selection, the first PREVIEW_ROWS of "all matching" (the job checks
    the rest the same way). A fixed number of queries whatever is selected."""
    if not request.GET.getlist("customer") and not request.GET.get("all_matching"):
        return render(request, "signing/bulk_nothing_selected.html", status=400)
    selection = selection_from(request.GET)
    source = _source(request.GET)
    chosen = selected(selection, request.user)
    total = chosen[: COUNT_LIMIT + 1].count()
    rows = list(chosen.select_related("customer", "partner")[:PREVIEW_ROWS])
    partner = request.user.partner
    assert partner is not None  # agent_required
    plans = bulk.plan(rows, partner, source, selectors.documents_in_force())
    return render(
        request,
        "signing/bulk_preview.html",
        {
            "total": min(total, COUNT_LIMIT),
            "selected_count": min(total, COUNT_LIMIT),
            "total_is_more": total > COUNT_LIMIT,
            "plans": plans,
            "shown_all": total <= PREVIEW_ROWS,
            "to_start": sum(1 for step in plans if step.skip is None),
            "to_skip": sum(1 for step in plans if step.skip is not None),
            "hidden": hidden_fields(selection),
            "source": source,
            "sources": SignatorySource.choices,
            "expires_in_days": DEFAULT_EXPIRY_DAYS,
            "max_days": MAX_EXPIRY_DAYS,
        },
    )


@attesters_only
@require_POST
def start(request: AgentRequest):
    job = bulk.start_job(
        user=request.user,
        selection=selection_from(request.POST),
        signatory_source=_source(request.POST),
        expires_in_days=_expiry(request.POST),
    )
    return redirect("signing:bulk_job", public_id=job.public_id)


def _results(job: BulkSigningJob) -> QuerySet[BulkSigningResult]:
    return BulkSigningResult.objects.filter(job=job).select_related(
        "relationship__customer", "signing_request"
    )


@never_cache
@attesters_only
@require_GET
def job_page(request: AgentRequest, public_id: uuid.UUID):
    job = own_job(BulkSigningJob, request, public_id)
    return render_job_page(
        request,
        job,
        _results(job),
        title=_("Signing links in bulk"),
        summary=job.get_signatory_source_display(),
        done_label=_("Links sent"),
        done_field="started",
        status_url=reverse("signing:bulk_job_status", args=[job.public_id]),
        csv_url=reverse("signing:bulk_job_csv", args=[job.public_id]),
        customer_anchor="signing",
    )


@never_cache
@attesters_only
@require_GET
def job_status(request: AgentRequest, public_id: uuid.UUID):
    return job_status_response(own_job(BulkSigningJob, request, public_id), "started")


def _request_columns(result: BulkSigningResult) -> tuple[Any, ...]:
    request = result.signing_request
    if request is None:
        return ("", "", "")
    return (request.email, request.public_id, request.expires_at.isoformat())


@attesters_only
@require_GET
def job_results_csv(request: AgentRequest, public_id: uuid.UUID):
    job = own_job(BulkSigningJob, request, public_id)
    return results_csv_response(
        job,
        _results(job),
        name="bulk-signing-links",
        extra_headers=[_("Signatory email"), _("Attestation ID"), _("Expires")],
        extra_values=_request_columns,
    )
