"""The portfolio's reads for one partner: its counts by agreement status, its acceptances
week by week and its "needs your action" queue, each in a fixed number of queries.

Scoped as every page is (R4): a partner's own relationships and, for an indirect provider,
its resellers' — counted apart (``own`` / ``resellers``). A customer that a provider serves
both itself and through a reseller is counted once, in the provider's own figures, as the
customers list (each count's link) shows it once, through the provider's own relationship:
the ledgers count relationships, so the resellers' figures have those customers taken off
(``_served_by_both``, one query more for a provider).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Case, Count, Exists, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import TruncWeek
from django.utils import timezone

from agreements.models import AttestationRequest
from customers.models import AgreementStatus, Relationship
from customers.selectors import visible_relationships
from invitations.models import OPEN_STATUSES, Invitation
from orders.models import GateRefusal, Order
from portal.models import Partner, PartnerKind
from portfolio import counters
from portfolio.models import AcceptanceTally, StatusDelta

if TYPE_CHECKING:
    from django.db.models import QuerySet

OWN, RESELLERS = "own", "resellers"
# The statuses shown, in the order shown: each one a filter of the customers list.
STATUSES = (
    AgreementStatus.NONE,
    AgreementStatus.INVITED,
    AgreementStatus.BLOCKED,
    AgreementStatus.DUE,
    AgreementStatus.ATTESTED,
    AgreementStatus.ACCEPTED,
)
LAPSED = "lapsed"
WEEKS = 26
# Rows of each kind in the queue; one more is read to know whether there are more.
QUEUE_SIZE = 10
REFUSALS_DAYS = 30
LAPSING_DAYS = 7
# An invitation that lapsed longer ago than this has left the queue (the list has them all).
LAPSED_DAYS = 30
# "Nothing on record but has orders" looks among the customers of this many latest orders.
RECENT_ORDERS = 2_000


def in_scope(partner: Partner, column: str = "partner_id") -> Q:
    """The partner's own rows and, for a provider, its resellers'."""
    own = Q(**{column: partner.pk})
    if partner.kind != PartnerKind.INDIRECT_PROVIDER:
        return own
    resellers = Partner.objects.filter(provider_id=partner.pk).values("pk")
    return own | Q(**{f"{column}__in": resellers})


def _group(partner: Partner, column: str = "partner_id") -> Case:
    return Case(When(**{column: partner.pk}, then=Value(OWN)), default=Value(RESELLERS))


@dataclass
class StatusCounts:
    """One group's customers by agreement status as it stands now."""

    by_status: dict[str, int] = field(default_factory=dict)
    # Of those not on record: an invitation was sent and lapsed (invited_until has passed).
    lapsed: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    def rows(self) -> list[tuple[str, int]]:
        return [(status, self.by_status.get(status, 0)) for status in STATUSES]


def status_counts(
    partner: Partner, now: datetime.datetime | None = None
) -> dict[str, StatusCounts]:
    """Counts per group (own, and resellers for a provider), from the ledger: two queries
    (three when the ledger is compacted on the way) at any size.

    The ledger counts the *stored* status; an invitation lapses without a write, so the
    ledger keeps the invited by the day their invitation lapses: those of past days have
    lapsed, those of later days are open, and of today's only those whose time has passed
    are read, live (``_invited_lapsing_today``).
    """
    now = now or timezone.now()
    today = now.astimezone(datetime.UTC).date()
    scope = in_scope(partner)
    stored = list(
        StatusDelta.objects.filter(scope)
        .values("status", "until", group=_group(partner))
        .annotate(total=Sum("delta"), rows=Count("id"))
        .order_by()
    )
    if sum(row["rows"] for row in stored) > counters.COMPACT_AFTER:
        counters.compact(_partner_ids(partner))
    lapsing_today = _invited_lapsing_today(partner, scope, now, today)
    groups = [OWN, RESELLERS] if partner.kind == PartnerKind.INDIRECT_PROVIDER else [OWN]
    counts = {group: StatusCounts() for group in groups}
    if partner.kind == PartnerKind.INDIRECT_PROVIDER:
        # The provider's own figures have them; the resellers' don't count them again.
        for status, has_lapsed, number in _served_by_both(partner, now):
            resellers = counts[RESELLERS]
            if has_lapsed:
                resellers.lapsed -= number
            else:
                resellers.by_status[status] = resellers.by_status.get(status, 0) - number
    for row in stored:
        group_counts, total = counts[row["group"]], int(row["total"] or 0)
        status = row["status"]
        if status == AgreementStatus.INVITED and row["until"] is not None:
            if row["until"] < today:
                group_counts.lapsed += total
                continue
            if row["until"] == today:
                # Those of today's that lapsed already are counted apart, below.
                total -= lapsing_today.get(row["group"], 0)
                group_counts.lapsed += lapsing_today.get(row["group"], 0)
        group_counts.by_status[status] = group_counts.by_status.get(status, 0) + total
    for group_counts in counts.values():
        group_counts.by_status[AgreementStatus.NONE] = (
            group_counts.by_status.get(AgreementStatus.NONE, 0) + group_counts.lapsed
        )
        group_counts.by_status = {
            status: group_counts.by_status.get(status, 0) for status in STATUSES
        }
    return counts


def _invited_lapsing_today(
    partner: Partner, scope: Q, now: datetime.datetime, today: datetime.date
) -> dict[str, int]:
    """Of the invitations that lapse today (UTC), those that have lapsed by now: a range of
    the (partner, status, invited until) index no longer than one day's invitations."""
    midnight = datetime.datetime.combine(today, datetime.time(), tzinfo=datetime.UTC)
    rows = (
        Relationship.objects.filter(scope)
        .filter(
            agreement_status=AgreementStatus.INVITED,
            invited_until__gte=midnight,
            invited_until__lte=now,
        )
        .annotate(group=_group(partner))
        .values("group")
        .annotate(number=Count("id"))
        .order_by()
    )
    return {row["group"]: row["number"] for row in rows}


def _served_by_both(
    partner: Partner, now: datetime.datetime
) -> list[tuple[str, bool, int]]:
    """A provider's resellers' relationships with a customer the provider serves itself, by
    stored status and whether an invitation lapsed: (status, lapsed, count). One query, over
    the resellers' relationships that have a twin of the provider's (the (partner, customer)
    index), however many customers there are otherwise."""
    own = Relationship.objects.filter(partner_id=partner.pk, customer_id=OuterRef("customer_id"))
    rows = (
        Relationship.objects.filter(
            partner_id__in=Partner.objects.filter(provider_id=partner.pk).values("pk")
        )
        .filter(Exists(own))
        .annotate(
            has_lapsed=Case(
                When(
                    agreement_status=AgreementStatus.INVITED,
                    invited_until__lte=now,
                    then=Value(True),
                ),
                default=Value(False),
            )
        )
        .values("agreement_status", "has_lapsed")
        .annotate(number=Count("id"))
        .order_by()
    )
    return [(row["agreement_status"], bool(row["has_lapsed"]), row["number"]) for row in rows]


def _partner_ids(partner: Partner) -> list[int]:
    ids = [partner.pk]
    if partner.kind == PartnerKind.INDIRECT_PROVIDER:
        ids += list(Partner.objects.filter(provider_id=partner.pk).values_list("pk", flat=True))
    return ids


@dataclass(frozen=True)
class Week:
    starts: datetime.date
    own: int
    resellers: int

    @property
    def total(self) -> int:
        return self.own + self.resellers


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def acceptances_by_week(partner: Partner, today: datetime.date | None = None) -> list[Week]:
    """Acceptances recorded for the partner (and a provider's resellers) in each of the last
    26 weeks, Monday to Sunday in UTC, oldest first: one query over the daily tallies."""
    today = today or timezone.now().astimezone(datetime.UTC).date()
    first = week_start(today) - datetime.timedelta(weeks=WEEKS - 1)
    rows = (
        AcceptanceTally.objects.filter(in_scope(partner), day__gte=first)
        .annotate(group=_group(partner), week=TruncWeek("day"))
        .values("group", "week")
        .annotate(number=Sum("count"))
        .order_by()
    )
    found: dict[tuple[str, datetime.date], int] = {}
    for row in rows:
        week = row["week"]
        if isinstance(week, datetime.datetime):
            week = week.date()
        found[(row["group"], week)] = found.get((row["group"], week), 0) + int(row["number"])
    weeks = []
    for number in range(WEEKS):
        starts = first + datetime.timedelta(weeks=number)
        weeks.append(Week(starts, found.get((OWN, starts), 0), found.get((RESELLERS, starts), 0)))
    return weeks


@dataclass
class Queue:
    """What needs the partner's action, most urgent first; each list holds at most
    QUEUE_SIZE rows, and ``more`` names the kinds that have more."""

    blocked: list[Relationship]
    refusals: list[GateRefusal]
    lapsing: list[Relationship]
    unrecorded_with_orders: list[Relationship]
    reseller_requests: int | None
    more: set[str]

    @property
    def is_empty(self) -> bool:
        return not (
            self.blocked
            or self.refusals
            or self.lapsing
            or self.unrecorded_with_orders
            or self.reseller_requests
        )


ON_RECORD = (AgreementStatus.ATTESTED, AgreementStatus.ACCEPTED)


def refusals_since(partner: Partner, since: datetime.datetime) -> QuerySet[GateRefusal]:
    """The gate's refusals in the partner's scope since ``since``, newest first: history, each
    with the refused partner's relationship to the customer as it stands now (``status_now``,
    ``invited_until_now``, ``accepted_on_now``), read in the same query."""
    now = Relationship.objects.filter(
        partner_id=OuterRef("partner_id"), customer_id=OuterRef("customer_id")
    )
    return (
        GateRefusal.objects.filter(in_scope(partner), at__gte=since)
        .annotate(
            status_now=Subquery(now.values("agreement_status")[:1]),
            invited_until_now=Subquery(now.values("invited_until")[:1]),
            accepted_on_now=Subquery(now.values("last_accepted_on")[:1]),
        )
        .select_related("customer", "partner", "agent")
        .order_by("-at", "-id")
    )


def status_now(refusal: GateRefusal) -> str:
    """A refusal's customer's status now (annotated by refusals_since), an invitation past its
    expiry read as nothing on record, as Relationship.effective_agreement_status reads it."""
    status = getattr(refusal, "status_now", None) or AgreementStatus.NONE
    until = getattr(refusal, "invited_until_now", None)
    if status == AgreementStatus.INVITED and (until is None or until <= timezone.now()):
        return AgreementStatus.NONE
    return status


def _bounded(queryset: QuerySet, kind: str, more: set[str]) -> list:
    rows = list(queryset[: QUEUE_SIZE + 1])
    if len(rows) > QUEUE_SIZE:
        more.add(kind)
    return rows[:QUEUE_SIZE]


def action_queue(partner: Partner, now: datetime.datetime | None = None) -> Queue:
    """The queue: five or six queries whatever the data's size."""
    now = now or timezone.now()
    more: set[str] = set()
    visible = visible_relationships(partner).select_related("customer", "partner")
    blocked = _bounded(
        visible.filter(agreement_status=AgreementStatus.BLOCKED).order_by(
            "customer_sort_name", "id"
        ),
        "blocked",
        more,
    )
    on_record = Relationship.objects.filter(
        partner_id=OuterRef("partner_id"),
        customer_id=OuterRef("customer_id"),
        agreement_status__in=ON_RECORD,
    )
    refusals = _bounded(
        GateRefusal.objects.filter(
            in_scope(partner), at__gte=now - datetime.timedelta(days=REFUSALS_DAYS)
        )
        .exclude(Exists(on_record))
        .select_related("customer", "partner", "agent")
        .order_by("-at", "-id"),
        "refusals",
        more,
    )
    # Only the partner that sent an invitation acts on it: the partner's own.
    lapsing = _bounded(
        Relationship.objects.filter(
            partner_id=partner.pk,
            agreement_status=AgreementStatus.INVITED,
            invited_until__gte=now - datetime.timedelta(days=LAPSED_DAYS),
            invited_until__lte=now + datetime.timedelta(days=LAPSING_DAYS),
        )
        .select_related("customer", "partner")
        .order_by("invited_until", "id"),
        "lapsing",
        more,
    )
    if lapsing:
        invitations = {
            invitation.customer_id: invitation
            for invitation in Invitation.objects.filter(
                partner_id=partner.pk,
                customer_id__in=[row.customer_id for row in lapsing],
                status__in=OPEN_STATUSES,
                replaced_by__isnull=True,
            ).order_by("created_at", "id")
        }
        for row in lapsing:
            row.invitation = invitations.get(row.customer_id)
            row.has_lapsed = row.invited_until is not None and row.invited_until <= now
    recent_orders = (
        Order.objects.filter(in_scope(partner))
        .order_by("-placed_at", "-id")
        .values("customer_id")[:RECENT_ORDERS]
    )
    unrecorded = _bounded(
        visible.with_agreement_status(AgreementStatus.NONE, now=now)
        .filter(customer_id__in=recent_orders)
        .order_by("customer_sort_name", "id"),
        "unrecorded_with_orders",
        more,
    )
    requests = None
    if partner.kind == PartnerKind.INDIRECT_PROVIDER:
        requests = AttestationRequest.objects.filter(
            provider=partner, resolved_at__isnull=True
        ).count()
    return Queue(
        blocked=blocked,
        refusals=refusals,
        lapsing=lapsing,
        unrecorded_with_orders=unrecorded,
        reseller_requests=requests,
        more=more,
    )
