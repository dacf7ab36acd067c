"""The dashboard's compliance overview and "needs your action" queue (sections registered
from PortfolioConfig.ready()), and the list of orders the gate refused."""

from __future__ import annotations

import datetime
import textwrap
from dataclasses import dataclass
from typing import Any

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from customers.models import INVITATION_LAPSED, AgreementStatus
from portal import dashboard, permissions
from portal.decorators import AgentRequest, agent_required
from portal.fragments import Fragment
from portal.models import PartnerKind
from portal.pagination import BoundedPaginator
from portfolio import selectors

# Each status's colour: at least 3:1 against white (WCAG 1.4.11), never the only cue (the
# bars are labelled and the data table sits beside them).
COLOURS: dict[str, str] = {
    AgreementStatus.NONE: "#5c636a",
    AgreementStatus.INVITED: "#8a6100",
    AgreementStatus.BLOCKED: "#b02a37",
    AgreementStatus.DUE: "#984c0c",
    AgreementStatus.ATTESTED: "#146c43",
    AgreementStatus.ACCEPTED: "#0a58ca",
}
WEEK_COLOUR = "#0a58ca"
RESELLER_WEEK_COLOUR = "#6f42c1"
# A status label wraps onto a second line past this many characters: the longest (Czech
# "Blokováno — přijetí musí potvrdit partner") would not fit the label column on one, and a
# cut label says nothing.
LABEL_LINE_CHARS = 22
BAR_ROW = 34
# A phone's layout (below Bootstrap's md breakpoint): the label above its bar, 320 units wide,
# so at 390 px the text keeps about its 13 px and every bar and value shows without scrolling.
NARROW_WIDTH, NARROW_BAR, NARROW_ROW = 320, 260, 40
# The weekly chart on a phone: all 26 weeks, narrower (11 units a week instead of 20).
WEEK_SLOT, NARROW_WEEK_SLOT = 20, 11


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    link: str
    colour: str
    y: int
    width: float
    narrow_y: int
    narrow_width: float

    @property
    def label_lines(self) -> list[str]:
        """The label on at most two lines (the second takes the rest), for the chart's <tspan>s."""
        lines = textwrap.wrap(self.label, LABEL_LINE_CHARS) or [self.label]
        return lines[:1] + ([" ".join(lines[1:])] if len(lines) > 1 else [])


def _list_link(status: str) -> str:
    return f"{reverse('customers:list')}?{urlencode({'status': status})}"


def _status_bars(counts: selectors.StatusCounts) -> list[Bar]:
    labels = dict(AgreementStatus.choices)
    peak = max([value for _status, value in counts.rows()] + [1])
    return [
        Bar(
            label=str(labels[status]),
            value=value,
            link=_list_link(status),
            colour=COLOURS[status],
            y=index * BAR_ROW,
            width=round(200 * value / peak, 1),
            narrow_y=index * NARROW_ROW,
            narrow_width=round(NARROW_BAR * value / peak, 1),
        )
        for index, (status, value) in enumerate(counts.rows())
    ]


def _group_context(group: str, counts: selectors.StatusCounts) -> dict[str, Any]:
    bars = _status_bars(counts)
    summary = "; ".join(f"{bar.label}: {bar.value}" for bar in bars)
    return {
        "group": group,
        "bars": bars,
        "total": counts.total,
        "lapsed": counts.lapsed,
        "lapsed_link": _list_link(INVITATION_LAPSED),
        "height": len(bars) * BAR_ROW,
        "narrow_width": NARROW_WIDTH,
        "narrow_height": len(bars) * NARROW_ROW,
        "description": _(
            "%(total)s customers. %(summary)s. Of those not on record, %(lapsed)s had an invitation that lapsed."
        )
        % {"total": counts.total, "summary": summary, "lapsed": counts.lapsed},
    }


def _week_layout(weeks: list[selectors.Week], slot: int, peak: int, height: int) -> dict[str, Any]:
    """The columns' geometry for one width (a week every `slot` units)."""
    columns: list[dict[str, Any]] = []
    for index, week in enumerate(weeks):
        own_height = round(height * week.own / peak, 1)
        reseller_height = round(height * week.resellers / peak, 1)
        columns.append(
            {
                "week": week,
                "x": index * slot + 2,
                "bar": slot - 4,
                "own_y": round(height - own_height, 1),
                "own_height": own_height,
                "reseller_y": round(height - own_height - reseller_height, 1),
                "reseller_height": reseller_height,
            }
        )
    return {"columns": columns, "width": len(weeks) * slot, "last_x": len(weeks) * slot}


def _week_chart(weeks: list[selectors.Week], with_resellers: bool) -> dict[str, Any]:
    peak = max([week.total for week in weeks] + [1])
    height = 120
    wide = _week_layout(weeks, WEEK_SLOT, peak, height)
    total = sum(week.total for week in weeks)
    busiest = max(weeks, key=lambda week: week.total)
    first, last = weeks[0].starts, weeks[-1].starts
    description = _(
        "%(total)s acceptances recorded in the 26 weeks from %(first)s to the week of %(last)s; "
        "the most in one week: %(most)s (week of %(busiest)s)."
    ) % {
        "total": total,
        "first": date_format(first, "DATE_FORMAT"),
        "last": date_format(last, "DATE_FORMAT"),
        "most": busiest.total,
        "busiest": date_format(busiest.starts, "DATE_FORMAT"),
    }
    return {
        **wide,
        "narrow": _week_layout(weeks, NARROW_WEEK_SLOT, peak, height),
        "peak": peak if total else 0,
        "total": total,
        "height": height,
        "description": description,
        "with_resellers": with_resellers,
        "colour": WEEK_COLOUR,
        "reseller_colour": RESELLER_WEEK_COLOUR,
        "first_label": date_format(first, "MONTH_DAY_FORMAT"),
        "last_label": date_format(last, "MONTH_DAY_FORMAT"),
    }


def overview_section(request: AgentRequest) -> Fragment | None:
    """Counts by agreement status (own, and a provider's resellers' apart) and acceptances
    per week: four queries at any size (portfolio.selectors)."""
    partner = request.user.partner
    if partner is None:
        return None
    counts = selectors.status_counts(partner)
    is_provider = partner.kind == PartnerKind.INDIRECT_PROVIDER
    groups = [_group_context(selectors.OWN, counts[selectors.OWN])]
    if is_provider:
        groups.append(_group_context(selectors.RESELLERS, counts[selectors.RESELLERS]))
    weeks = selectors.acceptances_by_week(partner)
    return Fragment(
        "portfolio/_overview.html",
        {"groups": groups, "weeks": _week_chart(weeks, is_provider), "is_provider": is_provider},
    )


def queue_section(request: AgentRequest) -> Fragment | None:
    """The "needs your action" queue, each row with the action the agent's role allows
    (the action's own view refuses it again on the server)."""
    partner = request.user.partner
    if partner is None:
        return None
    queue = selectors.action_queue(partner)
    user = request.user
    # Rows the apps beside portfolio add (signing links), each with its own bounded query.
    added = dashboard.queue_rows.render(request)
    return Fragment(
        "portfolio/_queue.html",
        {
            "queue": queue,
            "added_rows": added,
            "is_empty": queue.is_empty and not added,
            "can_attest": permissions.can_attest(user),
            "can_invite": permissions.can_invite(user),
            "can_request_attestation": permissions.can_request_attestation(user),
            "blocked_link": _list_link(AgreementStatus.BLOCKED),
            "lapsed_link": _list_link(INVITATION_LAPSED),
            "unrecorded_link": _list_link(AgreementStatus.NONE),
            "shows_attestation_queue": partner.kind == PartnerKind.INDIRECT_PROVIDER
            and permissions.can_attest(user),
            "queue_size": selectors.QUEUE_SIZE,
        },
    )


REFUSALS_PAGE_SIZE = 25


@agent_required
@require_GET
def refusals(request: AgentRequest):
    """Every order the gate refused in the last 30 days, newest first (the queue's "see all")."""
    partner = request.user.partner
    assert partner is not None  # agent_required
    since = timezone.now() - datetime.timedelta(days=selectors.REFUSALS_DAYS)
    rows = selectors.refusals_since(partner, since)
    page = BoundedPaginator(rows, REFUSALS_PAGE_SIZE).get_page(request.GET.get("page"))
    # History, but each row's action is the customer's status now: no attest button once an
    # acceptance is on record (the dashboard's queue drops the refusal then).
    refused = list(page.object_list)
    for refusal in refused:
        refusal.status_now = selectors.status_now(refusal)
        refusal.on_record = refusal.status_now in selectors.ON_RECORD
        refusal.status_now_display = AgreementStatus(refusal.status_now).label
    return render(
        request,
        "portfolio/refusals.html",
        {
            "page": page,
            "refusals": refused,
            "days": selectors.REFUSALS_DAYS,
            "can_attest": permissions.can_attest(request.user),
        },
    )
