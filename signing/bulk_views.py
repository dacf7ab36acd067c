"""Signing links in bulk, on the web: the customers list's selection, the preview, the job and
its results (signing.bulk does the work). Admin and sales agents of a partner that may attest;
a reseller's agents are told that their provider attests (403), everyone else gets 403."""

from __future__ import annotations

import csv
import uuid
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from agreements.exports import inert
from agreements.services import reseller_cannot_attest_message
from customers.filters import CustomerListFilter
from invitations.bulk import FILTER_FIELDS, MAX_PICKED, selected
from portal import permissions
from portal.decorators import AgentRequest, agent_required
from portal.fragments import Fragment
from portal.pagination import BoundedPaginator
from signing import bulk, selectors
from signing.models import (
    DEFAULT_EXPIRY_DAYS,
    MAX_EXPIRY_DAYS,
    BulkSigningJob,
    BulkSigningResult,
    BulkSigningStatus,
    SignatorySource,
)

PREVIEW_ROWS = 50
RESULTS_PER_PAGE = 50
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


def _selection(data: Any) -> dict[str, Any]:
    """The selection a request names; 400 for anything malformed."""
    if data.get("all_matching"):
        query = {name: data[name] for name in FILTER_FIELDS if data.get(name)}
        listing = CustomerListFilter(query or None)
        if listing.is_bound and not listing.is_valid():
            raise BadRequest("Invalid filter.")
        return {"filter": query}
    picked = data.getlist("customer")
    if not picked or len(picked) > MAX_PICKED:
        raise BadRequest(f"Select between 1 and {MAX_PICKED} customers.")
    if not all(value.isdigit() and len(value) < 19 for value in picked):
        raise BadRequest("Invalid customer id.")
    # The list's rows are relationships: a provider may see one customer through two.
    return {"relationship_ids": sorted({int(value) for value in picked})}


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


def _hidden(selection: dict[str, Any]) -> list[tuple[str, Any]]:
    if "filter" in selection:
        return [("all_matching", "1"), *selection["filter"].items()]
    return [("customer", pk) for pk in selection["relationship_ids"]]


@never_cache
@attesters_only
@require_GET
def preview(request: AgentRequest):
    """Who will get a link (to whom, in which agreement) and who is skipped, and why: every
    customer of a picked selection, the first PREVIEW_ROWS of "all matching" (the job checks
    the rest the same way). A fixed number of queries whatever is selected."""
    if not request.GET.getlist("customer") and not request.GET.get("all_matching"):
        return render(request, "signing/bulk_nothing_selected.html", status=400)
    selection = _selection(request.GET)
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
            "hidden": _hidden(selection),
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
        selection=_selection(request.POST),
        signatory_source=_source(request.POST),
        expires_in_days=_expiry(request.POST),
    )
    return redirect("signing:bulk_job", public_id=job.public_id)


def _own_job(request: AgentRequest, public_id: uuid.UUID) -> BulkSigningJob:
    """R4: a partner's jobs are its own; another partner's answers 404."""
    return get_object_or_404(
        BulkSigningJob.objects.select_related("created_by"),
        public_id=public_id,
        partner_id=request.user.partner_id,
    )


@never_cache
@attesters_only
@require_GET
def job_page(request: AgentRequest, public_id: uuid.UUID):
    job = _own_job(request, public_id)
    results = (
        BulkSigningResult.objects.filter(job=job)
        .select_related("relationship__customer", "signing_request")
        .order_by("pk")
    )
    page = BoundedPaginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "signing/bulk_job.html",
        {
            "job": job,
            "page": page,
            "finished": job.status == BulkSigningStatus.COMPLETED,
            "status_url": reverse("signing:bulk_job_status", args=[job.public_id]),
        },
    )


@never_cache
@attesters_only
@require_GET
def job_status(request: AgentRequest, public_id: uuid.UUID):
    job = _own_job(request, public_id)
    return JsonResponse(
        {
            "status": job.status,
            "statusLabel": job.get_status_display(),
            "total": job.total,
            "processed": job.processed,
            "started": job.started,
            "skipped": job.skipped,
            "failed": job.failed,
            "percent": job.percent,
            "finished": job.status == BulkSigningStatus.COMPLETED,
        }
    )


class _Line:
    def write(self, line: str) -> str:
        return line


def _csv_lines(job: BulkSigningJob) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(
        [
            _("Tenant ID"),
            _("Domain"),
            _("Company name"),
            _("Outcome"),
            _("Reason"),
            _("Message"),
            _("Signatory email"),
            _("Attestation ID"),
            _("Expires"),
        ]
    )
    results = (
        BulkSigningResult.objects.filter(job=job)
        .select_related("relationship__customer", "signing_request")
        .order_by("pk")
    )
    for result in results.iterator(chunk_size=2000):
        customer = result.relationship.customer
        request = result.signing_request
        yield writer.writerow(
            [
                inert(str(value))
                for value in (
                    customer.tenant_id,
                    customer.domain,
                    customer.company_name,
                    result.get_outcome_display(),
                    result.reason,
                    result.message,
                    request.email if request else "",
                    request.public_id if request else "",
                    request.expires_at.isoformat() if request else "",
                )
            ]
        )


@attesters_only
@require_GET
def job_results_csv(request: AgentRequest, public_id: uuid.UUID):
    job = _own_job(request, public_id)
    response = StreamingHttpResponse(_csv_lines(job), content_type="text/csv; charset=utf-8")
    filename = f"bulk-signing-links-{timezone.localdate(job.created_at).isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
