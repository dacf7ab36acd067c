"""Bulk invitations' pages: the customers list's selection, the preview, the job and its
results (invitations.bulk does the work).

The steps every BulkRelationshipJob's pages share (the selection a request names, the job
scoped to the partner, its page, its JSON status, its results as CSV) are here too; signing
links in bulk (signing.bulk_views) use them with their own words."""

from __future__ import annotations

import csv
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from django.core.exceptions import BadRequest
from django.db.models import QuerySet
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from agreements.exports import inert
from customers.filters import CustomerListFilter
from invitations import bulk
from invitations.models import (
    BulkAction,
    BulkInvitationJob,
    BulkInvitationResult,
    BulkRelationshipJob,
    BulkRelationshipResult,
)
from portal import permissions
from portal.decorators import AgentRequest, agent_required, require
from portal.fragments import Fragment
from portal.pagination import BoundedPaginator

PREVIEW_ROWS = 50
RESULTS_PER_PAGE = 50
# Counted exactly up to here; past it the preview says "more than".
COUNT_LIMIT = 10_000

Job = TypeVar("Job", bound=BulkRelationshipJob)
Result = TypeVar("Result", bound=BulkRelationshipResult)


def list_selection(request: AgentRequest) -> Fragment | None:
    """The customers list's bulk actions (customers.panels.list_bulk_actions): a form the rows'
    checkboxes belong to, carrying the list's filter for "all matching"."""
    if not permissions.can_invite(request.user):
        return None
    filters = [(name, request.GET[name]) for name in bulk.FILTER_FIELDS if request.GET.get(name)]
    return Fragment(
        "invitations/_customers_list_bulk.html",
        {"filters": filters, "actions": BulkAction.choices},
    )


def selection_from(data: Any) -> dict[str, Any]:
    """The selection a request names (the list's picked rows or its filter); 400 for anything
    malformed."""
    if data.get("all_matching"):
        query = {name: data[name] for name in bulk.FILTER_FIELDS if data.get(name)}
        listing = CustomerListFilter(query or None)
        if listing.is_bound and not listing.is_valid():
            raise BadRequest("Invalid filter.")
        return {"filter": query}
    picked = data.getlist("customer")
    if not picked or len(picked) > bulk.MAX_PICKED:
        raise BadRequest(f"Select between 1 and {bulk.MAX_PICKED} customers.")
    if not all(value.isdigit() and len(value) < 19 for value in picked):
        raise BadRequest("Invalid customer id.")
    # The list's rows are relationships: a provider may see one customer through two.
    return {"relationship_ids": sorted({int(value) for value in picked})}


def hidden_fields(selection: dict[str, Any]) -> list[tuple[str, Any]]:
    """The selection again, as the preview's form's hidden fields."""
    if "filter" in selection:
        return [("all_matching", "1"), *selection["filter"].items()]
    return [("customer", pk) for pk in selection["relationship_ids"]]


def _selection(data: Any) -> tuple[str, dict[str, Any]]:
    """The action and the selection a request names; 400 for anything malformed."""
    action = data.get("action", "")
    if action not in BulkAction.values:
        raise BadRequest("Unknown action.")
    return action, selection_from(data)


def _nothing_selected(request: AgentRequest):
    return render(request, "invitations/bulk_nothing_selected.html", status=400)


@never_cache
@agent_required
@require(permissions.can_invite)
@require_GET
def preview(request: AgentRequest):
    """Who will be invited and who skipped, and why: every customer of a picked selection, the
    first PREVIEW_ROWS of "all matching" (the job checks the rest the same way)."""
    if not request.GET.getlist("customer") and not request.GET.get("all_matching"):
        return _nothing_selected(request)
    action, selection = _selection(request.GET)
    chosen = bulk.selected(selection, request.user)
    total = chosen[: COUNT_LIMIT + 1].count()
    rows = list(chosen.select_related("customer", "partner")[:PREVIEW_ROWS])
    partner_id = request.user.partner_id
    previewed = [(row, bulk.reason_to_skip(row, action, partner_id)) for row in rows]
    hidden = [("action", action), *hidden_fields(selection)]
    return render(
        request,
        "invitations/bulk_preview.html",
        {
            "action_label": BulkAction(action).label,
            "total": min(total, COUNT_LIMIT),
            "selected_count": min(total, COUNT_LIMIT),
            "total_is_more": total > COUNT_LIMIT,
            "previewed": previewed,
            "shown_all": total <= PREVIEW_ROWS,
            "to_invite": sum(1 for _row, skip in previewed if skip is None),
            "to_skip": sum(1 for _row, skip in previewed if skip is not None),
            "hidden": hidden,
        },
    )


@agent_required
@require(permissions.can_invite)
@require_POST
def start(request: AgentRequest):
    action, selection = _selection(request.POST)
    job = bulk.start_job(user=request.user, action=action, selection=selection)
    return redirect("invitations:bulk_job", public_id=job.public_id)


def own_job(model: type[Job], request: AgentRequest, public_id: uuid.UUID) -> Job:
    """R4: a partner's jobs are its own; another partner's answers 404."""
    return get_object_or_404(
        model._default_manager.select_related("created_by"),
        public_id=public_id,
        partner_id=request.user.partner_id,
    )


def render_job_page(
    request: AgentRequest,
    job: BulkRelationshipJob,
    results: QuerySet[Any],
    *,
    title: str,
    summary: str,
    done_label: str,
    done_field: str,
    status_url: str,
    csv_url: str,
    customer_anchor: str = "",
) -> HttpResponse:
    """The job's progress and its results, a page at a time, in its own words: ``done_field``
    names the counter of what it did (labelled ``done_label``); ``customer_anchor``, when given,
    links each customer to that part of its page."""
    page = BoundedPaginator(results.order_by("pk"), RESULTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "invitations/bulk_job.html",
        {
            "job": job,
            "page": page,
            "finished": job.finished,
            "status_url": status_url,
            "csv_url": csv_url,
            "title": title,
            "summary": summary,
            "done_label": done_label,
            "done_field": done_field,
            "done_count": getattr(job, done_field),
            "customer_anchor": customer_anchor,
        },
    )


def job_status_response(job: BulkRelationshipJob, done_field: str) -> JsonResponse:
    """The job's progress for its page's poller (``done_field``: its counter of what it did)."""
    return JsonResponse(
        {
            "status": job.status,
            "statusLabel": job.get_status_display(),
            "total": job.total,
            "processed": job.processed,
            done_field: getattr(job, done_field),
            "skipped": job.skipped,
            "failed": job.failed,
            "percent": job.percent,
            "finished": job.finished,
        }
    )


class _Line:
    def write(self, line: str) -> str:
        return line


def _csv_lines(
    results: QuerySet[Result],
    extra_headers: Sequence[str],
    extra_values: Callable[[Result], Iterable[Any]],
) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(
        [
            _("Tenant ID"),
            _("Domain"),
            _("Company name"),
            _("Outcome"),
            _("Reason"),
            _("Message"),
            *extra_headers,
        ]
    )
    for result in results.order_by("pk").iterator(chunk_size=2000):
        customer = result.relationship.customer
        yield writer.writerow(
            [
                inert(str(value))
                for value in (
                    customer.tenant_id,
                    customer.domain,
                    customer.company_name,
                    result.get_outcome_display(),  # type: ignore[attr-defined]
                    result.reason,
                    result.message,
                    *extra_values(result),
                )
            ]
        )


def results_csv_response(
    job: BulkRelationshipJob,
    results: QuerySet[Result],
    *,
    name: str,
    extra_headers: Sequence[str] = (),
    extra_values: Callable[[Result], Iterable[Any]] = lambda result: (),
) -> StreamingHttpResponse:
    """The job's results as a CSV file streamed a chunk at a time, named ``name``-date.csv
    (``extra_headers`` and ``extra_values``: the columns a job adds)."""
    response = StreamingHttpResponse(
        _csv_lines(results, extra_headers, extra_values), content_type="text/csv; charset=utf-8"
    )
    filename = f"{name}-{timezone.localdate(job.created_at).isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _results(job: BulkInvitationJob) -> QuerySet[BulkInvitationResult]:
    return BulkInvitationResult.objects.filter(job=job).select_related("relationship__customer")


@never_cache
@agent_required
@require(permissions.can_invite)
@require_GET
def job_page(request: AgentRequest, public_id: uuid.UUID):
    job = own_job(BulkInvitationJob, request, public_id)
    return render_job_page(
        request,
        job,
        _results(job),
        title=_("Bulk invitations"),
        summary=job.get_action_display(),
        done_label=_("Invited"),
        done_field="invited",
        status_url=reverse("invitations:bulk_job_status", args=[job.public_id]),
        csv_url=reverse("invitations:bulk_job_csv", args=[job.public_id]),
    )


@never_cache
@agent_required
@require(permissions.can_invite)
@require_GET
def job_status(request: AgentRequest, public_id: uuid.UUID):
    return job_status_response(own_job(BulkInvitationJob, request, public_id), "invited")


@agent_required
@require(permissions.can_invite)
@require_GET
def job_results_csv(request: AgentRequest, public_id: uuid.UUID):
    job = own_job(BulkInvitationJob, request, public_id)
    return results_csv_response(job, _results(job), name="bulk-invitations")
