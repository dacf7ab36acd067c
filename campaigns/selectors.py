"""A re-acceptance campaign: for one version requiring re-acceptance, the partner's customers
that must accept it again, and how far they have come. Each read is a fixed number of queries.

Who is in it is derived, not stored: a relationship the partner sees (R4), in a country the
version has a document for, with a record that counts for its partner which the version
outdates (of an older version, or dated before the cut-off). Records are append-only, so once
in a campaign a customer stays in it; its stored status then says where it stands:

- *done*: attested or accepted again (its newest record is current);
- *blocked*: it can't accept directly (R6), only the partner can renew it by attesting;
- *invited*: re-acceptance due, with an invitation open;
- *due*: re-acceptance due, nobody asked yet (or the invitation lapsed).
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from agreements.models import Acceptance, AgreementDocument, AgreementTemplate, AgreementType
from agreements.validators import portal_today
from customers.models import AgreementStatus, Relationship, RelationshipQuerySet
from customers.selectors import visible_relationships
from portal.models import Partner, PartnerKind

DUE, INVITED, BLOCKED, DONE = "due", "invited", "blocked", "done"
STATES = (DUE, INVITED, BLOCKED, DONE)
# What is still to renew: the attestation file lists them all.
TO_RENEW = (DUE, INVITED, BLOCKED)
# Weeks the progress chart shows at most (the latest).
CHART_WEEKS = 26


def campaign_versions(today: datetime.date | None = None) -> QuerySet[AgreementTemplate]:
    """The published versions requiring re-acceptance, newest first: one campaign each."""
    return (
        AgreementTemplate.objects.published(today or portal_today())
        .filter(requires_reacceptance=True, agreement_type=AgreementType.MCA)
        .order_by("-version_rank")
    )


def get_campaign_version(template_id: uuid.UUID | str) -> AgreementTemplate:
    version = campaign_versions().filter(template_id=template_id).first()
    if version is None:
        raise Http404("No campaign for this version.")
    return version


def members(
    partner: Partner, version: AgreementTemplate, now: datetime.datetime | None = None
) -> RelationshipQuerySet:
    """The campaign's relationships, each annotated with its ``state``."""
    now = now or timezone.now()
    outdated = Q(template__version_rank__lt=version.version_rank)
    if version.reacceptance_cutoff is not None:
        outdated |= Q(date_agreed__lt=version.reacceptance_cutoff)
    # A record counts for the relationship's partner: its own, or (a reseller's) its provider's.
    counted = Q(partner_id=OuterRef("partner_id")) | Q(partner_id=OuterRef("partner__provider_id"))
    records = Acceptance.objects.filter(customer_id=OuterRef("customer_id")).filter(
        counted & outdated
    )
    # A list, not a subquery: the database estimates a list of countries from its statistics
    # (a subquery it guessed at 1 %, and sorted a partner's 900,000 relationships on disk for
    # a page it could read along an index).
    countries = list(
        AgreementDocument.objects.filter(template=version).values_list("country", flat=True)
    )
    state = Case(
        *(When(state_condition(name, now), then=Value(name)) for name in STATES),
        # No member's stored status is another (state_condition says why).
        default=Value(DUE),
        output_field=CharField(),
    )
    return (
        visible_relationships(partner)
        .filter(partner_id__in=_partner_ids(partner))
        .filter(customer_country__in=countries)
        .filter(Exists(records))
        .annotate(state=state)
    )


def _partner_ids(partner: Partner) -> list[int]:
    """The partners whose relationships ``partner`` may see (R4 says which of them): named
    beside visible_relationships, whose condition on a provider's resellers is a join, so the
    database reads those partners' index ranges, not every relationship (a provider's campaign
    page of 50,000 customers among 1,000,000 took 2.7 s). A provider's costs a query."""
    if partner.kind != PartnerKind.INDIRECT_PROVIDER:
        return [partner.pk]
    resellers = Partner.objects.filter(provider_id=partner.pk).values_list("pk", flat=True)
    return [partner.pk, *resellers]


_SETTLED = (AgreementStatus.ATTESTED, AgreementStatus.ACCEPTED)


def state_condition(state: str, now: datetime.datetime) -> Q:
    """The stored columns' condition for a member to stand in ``state``: the one definition of
    the computed ``state``, which the table's filter names directly so that the database
    estimates it and reads the partner's range of one stored status (an index), not every
    relationship until a page is full (at 900,000 customers: 3 s for a page of the done).

    A member has a record that counts for its partner, and customers.status stores a
    relationship's status with every record written: so a member's stored status is attested
    or accepted (its newest record is current), blocked, or due (the sweep, or the record
    written, found it outdated) — never "none" or "invited", which say nothing is on record.
    """
    if state == DONE:
        return Q(agreement_status__in=_SETTLED)
    if state == BLOCKED:
        return Q(agreement_status=AgreementStatus.BLOCKED)
    if state == INVITED:
        return Q(agreement_status=AgreementStatus.DUE, invited_until__gt=now)
    return Q(agreement_status=AgreementStatus.DUE) & (
        Q(invited_until__isnull=True) | Q(invited_until__lte=now)
    )


@dataclass(frozen=True)
class Counts:
    due: int
    invited: int
    blocked: int
    done: int

    @property
    def total(self) -> int:
        return self.due + self.invited + self.blocked + self.done

    @property
    def to_renew(self) -> int:
        return self.due + self.invited + self.blocked

    @property
    def percent_done(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def has_more_than(partner: Partner, limit: int) -> bool:
    """Whether the partner sees more than ``limit`` relationships: one bounded query (an index
    range of at most ``limit`` + 1 entries), whatever its size."""
    visible = visible_relationships(partner).filter(partner_id__in=_partner_ids(partner))
    return visible.order_by()[: limit + 1].count() > limit


@dataclass(frozen=True)
class Figures:
    """A campaign's counts and the days its customers were done on; ``as_of`` says when they
    were counted (None: live, this very request)."""

    counts: Counts
    done_by_day: dict[datetime.date, int]
    as_of: datetime.datetime | None = None


def tally(
    partner: Partner, version: AgreementTemplate, now: datetime.datetime | None = None
) -> Figures:
    """The counts and the progress chart's data in one query (one pass over the members)."""
    now = now or timezone.now()
    rows = (
        members(partner, version, now)
        .annotate(
            day=Case(
                When(state=DONE, then="last_accepted_on"), default=None, output_field=DateField()
            ),
        )
        .values("state", "day")
        .annotate(number=Count("pk"))
        .order_by()
    )
    found = dict.fromkeys(STATES, 0)
    done_by_day: dict[datetime.date, int] = {}
    for row in rows:
        found[row["state"]] += row["number"]
        if row["state"] == DONE:
            day = row["day"] or version.published_on
            done_by_day[day] = done_by_day.get(day, 0) + row["number"]
    return Figures(Counts(**found), done_by_day)


@dataclass(frozen=True)
class Point:
    week: datetime.date
    done: int


def weekly(
    done_by_day: dict[datetime.date, int],
    version: AgreementTemplate,
    today: datetime.date | None = None,
) -> list[Point]:
    """Customers done by the end of each week since publication (at most the last
    CHART_WEEKS weeks), by the date of their renewing record."""
    today = today or portal_today()
    start = version.published_on - datetime.timedelta(days=version.published_on.weekday())
    weeks = []
    week = start
    while week <= today:
        weeks.append(week)
        week += datetime.timedelta(weeks=1)
    points = []
    for week in weeks:
        end = week + datetime.timedelta(days=6)
        points.append(Point(week, sum(n for day, n in done_by_day.items() if day <= end)))
    return points[-CHART_WEEKS:]


def days_left(version: AgreementTemplate, today: datetime.date | None = None) -> int:
    """Days from today to the deadline (the last day); 0 on it and after."""
    today = today or portal_today()
    if version.reacceptance_deadline is None:
        return 0
    return max(0, (version.reacceptance_deadline - today).days)


def relationships_in(queryset: QuerySet[Relationship]) -> QuerySet[Relationship]:
    return queryset.select_related("customer", "partner").order_by("customer_sort_name", "id")
