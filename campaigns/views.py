"""The re-acceptance campaign pages: the campaigns of the versions requiring re-acceptance,
and one campaign (counts, days left, progress chart, the per-customer table and the bulk
actions on the customers still to renew); the attestation file; the dashboard's section."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from agreements.exports import attestation_file_lines
from agreements.models import AgreementTemplate
from campaigns import selectors, snapshots
from campaigns.filters import STATE_CHOICES, CampaignFilter
from customers.models import AgreementStatus
from portal import permissions
from portal.decorators import AgentRequest, agent_required, require
from portal.fragments import Fragment
from portal.models import Partner
from portal.pagination import BoundedPaginator

PAGE_SIZE = 25
FILE_BATCH = 2_000
STATE_COLOURS = {
    selectors.DUE: "#984c0c",
    selectors.INVITED: "#8a6100",
    selectors.BLOCKED: "#b02a37",
    selectors.DONE: "#146c43",
}
CHART_WIDTH, CHART_HEIGHT = 520, 120
# A phone's layout (below Bootstrap's md breakpoint): every week in 280 units, so at 390 px all
# the bars show without scrolling and the text keeps about its 13 px.
NARROW_CHART_WIDTH = 280


def _partner(request: AgentRequest) -> Partner:
    partner = request.user.partner
    assert partner is not None  # agent_required
    return partner


def _url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@agent_required
@require_GET
def campaign_list(request: AgentRequest):
    """Every campaign, with its counts (campaigns.snapshots.figures: a query a version, or
    their snapshots' for a large partner; few versions ever require re-acceptance)."""
    partner = _partner(request)
    versions = list(selectors.campaign_versions())
    found = snapshots.figures(partner, versions)
    rows = [
        {
            "version": version,
            "figures": found[version.pk],
            "counts": _counts_of(found[version.pk]),
            "days_left": selectors.days_left(version),
        }
        for version in versions
    ]
    return render(request, "campaigns/list.html", {"rows": rows})


def _counts_of(figures: selectors.Figures | None) -> selectors.Counts | None:
    return figures.counts if figures is not None else None


def _chart_layout(points: list[selectors.Point], peak: int, width: int) -> dict[str, Any]:
    """The columns' geometry for one width."""
    slot = width / max(len(points), 1)
    gap = 4 if slot >= 12 else 2
    columns = []
    for index, point in enumerate(points):
        height = round(CHART_HEIGHT * point.done / peak, 1)
        columns.append(
            {
                "point": point,
                "x": round(index * slot + gap / 2, 1),
                "y": round(CHART_HEIGHT - height, 1),
                "height": height,
                "width": max(round(slot - gap, 1), 2),
            }
        )
    return {"columns": columns, "width": width, "last_x": width}


def _chart(points: list[selectors.Point], total: int, version: AgreementTemplate) -> dict | None:
    """The progress chart; none for a campaign without customers (an axis from 0 to 0 says
    nothing: the page says there is no one to renew)."""
    if not total:
        return None
    last = points[-1].done if points else 0
    description = _(
        "Customers who accepted version %(version)s again, week by week since its publication on "
        "%(published)s: %(done)s of %(total)s by the week of %(last)s."
    ) % {
        "version": version.version_rank,
        "published": date_format(version.published_on, "DATE_FORMAT"),
        "done": last,
        "total": total,
        "last": date_format(points[-1].week, "DATE_FORMAT") if points else "—",
    }
    return {
        **_chart_layout(points, max(total, 1), CHART_WIDTH),
        "narrow": _chart_layout(points, max(total, 1), NARROW_CHART_WIDTH),
        "height": CHART_HEIGHT,
        "peak": total,
        "description": description,
        "colour": STATE_COLOURS[selectors.DONE],
        "first_label": date_format(points[0].week, "MONTH_DAY_FORMAT") if points else "",
        "last_label": date_format(points[-1].week, "MONTH_DAY_FORMAT") if points else "",
    }


@agent_required
@require_GET
def campaign_detail(request: AgentRequest, template_id):
    partner = _partner(request)
    version = selectors.get_campaign_version(template_id)
    now = timezone.now()
    members = selectors.members(partner, version, now)
    listing = CampaignFilter(request.GET or None, queryset=members, now=now)
    rows = selectors.relationships_in(listing.qs)
    page = BoundedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    figures = snapshots.figures(partner, [version])[version.pk]
    counts = _counts_of(figures)
    user = request.user
    # Bulk invitations (invitations.bulk_views) select the customers list's filter: the due.
    invitations = _url_or_none("invitations:bulk_preview")
    context: dict[str, Any] = {
        "version": version,
        "counts": counts,
        "as_of": figures.as_of if figures is not None else None,
        "days_left": selectors.days_left(version),
        "form": listing.form,
        "refused": listing.refused,
        "page": page,
        "states": dict(STATE_CHOICES),
        "colours": STATE_COLOURS,
        "chart": (
            _chart(selectors.weekly(figures.done_by_day, version), figures.counts.total, version)
            if figures is not None
            else None
        ),
        "can_attest": permissions.can_attest(user),
        "can_invite": permissions.can_invite(user),
        "bulk_upload": _url_or_none("bulk:upload") if permissions.can_attest(user) else None,
        "bulk_invitations": (
            f"{invitations}?"
            + urlencode({"action": "invite", "all_matching": "1", "status": AgreementStatus.DUE})
            if invitations and permissions.can_invite(user)
            else None
        ),
        "state_links": {state: f"?{urlencode({'state': state})}" for state in selectors.STATES},
        # A filter chosen (the page number alone is none): "none matches" rather than "none".
        "filtered": any(value for key, value in request.GET.items() if key != "page"),
    }
    return render(request, "campaigns/detail.html", context, status=400 if listing.refused else 200)


def _attestation_lines(partner: Partner, version: AgreementTemplate) -> Iterator[bytes]:
    now = timezone.now()
    # The stored columns' condition rather than the computed state: the database estimates it.
    to_renew = selectors.members(partner, version, now).exclude(
        selectors.state_condition(selectors.DONE, now)
    )
    return attestation_file_lines(
        to_renew, template_id=str(version.template_id), batch_size=FILE_BATCH
    )


@agent_required
@require(permissions.can_attest)
@require_GET
def attestation_file(request: AgentRequest, template_id):
    """The customers still to renew as a bulk attestation file: each customer's primary contact
    and the version filled in, the date it accepted left for the partner to fill in."""
    partner = _partner(request)
    version = selectors.get_campaign_version(template_id)
    response = StreamingHttpResponse(
        _attestation_lines(partner, version), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="reacceptance-v{version.version_rank}-attestations.csv"'
    )
    return response


def campaigns_section(request: AgentRequest) -> Fragment | None:
    """The dashboard's note of the campaigns running, with their counts: a query; with any,
    campaigns.snapshots.figures' few."""
    partner = request.user.partner
    if partner is None:
        return None
    versions = list(selectors.campaign_versions()[:3])
    if not versions:
        return None
    found = snapshots.figures(partner, versions)
    rows = []
    for version in versions:
        figures = found[version.pk]
        if figures is None or figures.counts.total:
            rows.append(
                {
                    "version": version,
                    "counts": _counts_of(figures),
                    "as_of": figures.as_of if figures is not None else None,
                    "days_left": selectors.days_left(version),
                }
            )
    if not rows:
        return None
    return Fragment("campaigns/_dashboard.html", {"campaign_rows": rows})
