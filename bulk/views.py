"""Bulk attestation pages: upload, preview, run, progress, results. An indirect reseller's
agents use the same pages to ask their provider to attest, in bulk (R3)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bulk import selectors, services
from bulk.csvfiles import MAX_FILE_BYTES, MAX_ROWS, FileRefused, expected_columns
from bulk.exports import result_lines, template_lines
from bulk.forms import RunForm, UploadForm
from bulk.models import RESULTS_KEPT, Mode, Status
from portal import permissions
from portal.decorators import agent_required
from portal.pagination import BoundedPaginator

PROBLEMS_SHOWN = 500
JOBS_PER_PAGE = 25


def attesting(view):
    """Admin and sales agents of partners that attest, or of a reseller, which asks its
    provider to (R2, R3)."""

    def wrapper(request, *args, **kwargs):
        if not permissions.sees_bulk_attestation(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return agent_required(wrapper)


def _limits(request) -> dict:
    return {
        "max_rows": f"{MAX_ROWS:,}".replace(",", " "),
        "max_megabytes": MAX_FILE_BYTES // (1024 * 1024),
        "columns": expected_columns(),
        "requests": not permissions.can_attest(request.user),
        "provider": request.user.partner.provider,
    }


@attesting
@require_GET
def job_list(request):
    jobs = selectors.jobs_for(request.user).select_related("created_by")
    page = BoundedPaginator(jobs, JOBS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "bulk/list.html",
        {
            "page": page,
            "jobs": list(page.object_list),
            "requests": not permissions.can_attest(request.user),
        },
    )


@attesting
@require_http_methods(["GET", "POST"])
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = services.create_job_from_file(
                    user=request.user, upload=upload.file, filename=upload.name
                )
            except FileRefused as error:
                form.add_error("file", str(error))
            else:
                return redirect("bulk:job", public_id=job.public_id)
    return render(request, "bulk/upload.html", {"form": form, **_limits(request)}, status=status)


@attesting
@require_GET
def template_file(request):
    response = StreamingHttpResponse(
        template_lines(request.user), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="bulk-attestation-template.csv"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@attesting
@require_GET
def job_detail(request, public_id):
    job = selectors.job_for(request.user, public_id)
    if job.status == Status.DRAFT:
        return _preview(request, job, RunForm())
    return render(
        request,
        "bulk/job.html",
        {
            "job": job,
            "problems": selectors.problems(job, PROBLEMS_SHOWN) if job.is_finished else [],
            "provider": job.partner.provider if job.is_request else None,
            "problems_shown": PROBLEMS_SHOWN,
            "results_kept_days": RESULTS_KEPT.days,
        },
    )


@attesting
@require_POST
def run(request, public_id):
    job = selectors.job_for(request.user, public_id)
    if job.status != Status.DRAFT:
        return redirect("bulk:job", public_id=job.public_id)
    if job.is_request:
        # Every valid row is asked for: there is no mode to choose.
        services.start_job(job, Mode.VALID_ONLY)
        return redirect("bulk:job", public_id=job.public_id)
    form = RunForm(request.POST)
    if not form.is_valid():
        return _preview(request, job, form, status=400)
    services.start_job(job, form.cleaned_data["mode"])
    return redirect("bulk:job", public_id=job.public_id)


def _preview(request, job, form: RunForm, status: int = 200):
    return render(
        request,
        "bulk/preview.html",
        {
            "job": job,
            "problems": selectors.problems(job, PROBLEMS_SHOWN),
            "problem_count": job.total - job.valid - job.to_skip,
            "skipped": selectors.skipped(job, PROBLEMS_SHOWN) if job.to_skip else [],
            "problems_shown": PROBLEMS_SHOWN,
            "form": form,
            "provider": job.partner.provider if job.is_request else None,
        },
        status=status,
    )


@attesting
@require_POST
def cancel(request, public_id):
    job = selectors.job_for(request.user, public_id, drafts=False)
    services.request_cancel(job)
    messages.info(request, _("The job stops after the rows in progress."))
    return redirect("bulk:job", public_id=job.public_id)


def status_body(job) -> dict:
    return {
        "status": job.status,
        "statusLabel": str(job.get_status_display()),
        "total": job.total,
        "succeeded": job.succeeded,
        "failed": job.failed,
        "skipped": job.skipped,
        "processed": job.processed,
        "percent": job.percent,
        "finished": job.is_finished,
        "cancelRequested": job.cancel_requested,
    }


@attesting
@require_GET
def job_status(request, public_id):
    job = selectors.job_for(request.user, public_id, drafts=False)
    response = JsonResponse(status_body(job))
    patch_cache_control(response, private=True, no_store=True)
    return response


@attesting
@require_GET
def results(request, public_id):
    job = selectors.job_for(request.user, public_id, drafts=False)
    if not job.results_available:
        raise Http404("No results to download.")
    response = StreamingHttpResponse(result_lines(job), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime(job.created_at).strftime("%Y-%m-%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="bulk-attestation-{stamp}.csv"'
    patch_cache_control(response, private=True, no_store=True)
    return response


def status_url(job) -> str:
    return reverse("bulk:status", args=[job.public_id])
