"""Customer agreement records: each customer a partner sees, with the acceptance that counts
for it (Partner Center's "customer agreement records"), read in batches for the CSV export
and the records API.

A batch is one index range of one partner's relationships, in the customers list's name
order, read by keyset (never OFFSET), and the newest acceptance that counts for each of its
customers, in one more query: two queries a batch, whatever the number of rows.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Case, CharField, ExpressionWrapper, F, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from agreements.models import Acceptance
from customers.models import AgreementStatus, RelationshipQuerySet
from portal.api.pagination import after_key
from portal.models import Partner

# The order a batch is read in: rel_partner_name_idx (and its status and country siblings
# when a filter is in force) read forwards.
KEY = ("customer_sort_name", "id")

RELATIONSHIP_COLUMNS = (
    "id",
    "customer_sort_name",
    "customer_id",
    "effective_status",
    "customer_country",
    "customer__tenant_id",
    "customer__domain",
    "customer__company_name",
)

ACCEPTANCE_COLUMNS = (
    "customer_id",
    "method",
    "first_name",
    "last_name",
    "email",
    "phone_text",
    "date_agreed",
    "recorded_at",
    "template__template_id",
    "template__version_rank",
    "recorded_by__email",
)


@dataclass(frozen=True)
class AcceptedBy:
    first_name: str
    last_name: str
    email: str
    phone: str


@dataclass(frozen=True)
class OnRecord:
    """The newest acceptance that counts for the partner."""

    method: str
    accepted_by: AcceptedBy
    date_agreed: datetime.date
    recorded_at: datetime.datetime
    template_id: uuid.UUID
    template_version: int
    recorded_by: str


@dataclass(frozen=True)
class AgreementRecord:
    tenant_id: uuid.UUID
    domain: str
    company_name: str
    country: str
    status: str
    partner_id: int
    on_record: OnRecord | None
    # Where the keyset resumes after this record.
    sort_name: str
    relationship_id: int

    @property
    def position(self) -> tuple[int, str, int]:
        return (self.partner_id, self.sort_name, self.relationship_id)


def newest_acceptances(partner: Partner, customer_ids: QuerySet | list[int]) -> QuerySet:
    """The newest acceptance that counts for ``partner`` (its own, or for a reseller also its
    provider's) of each customer, as ACCEPTANCE_COLUMNS: the history index (customer, partner,
    recorded_at, id) read per customer, the first row of each kept."""
    newest_first = Window(
        RowNumber(),
        partition_by=[F("customer_id")],
        order_by=[F("recorded_at").desc(), F("id").desc()],
    )
    return (
        Acceptance.objects.filter(
            customer_id__in=customer_ids, partner_id__in=partner.attesting_partners_ids()
        )
        .annotate(
            # The stored E.164 text: parsing a PhoneNumber per row costs more than the row.
            phone_text=ExpressionWrapper(F("phone"), output_field=CharField()),
            newest=newest_first,
        )
        .filter(newest=1)
        .order_by()
        .values_list(*ACCEPTANCE_COLUMNS)
    )


def _after(
    relationships: RelationshipQuerySet, resume: tuple[str, int] | None
) -> RelationshipQuerySet:
    ordered = relationships.order_by(*KEY)
    return ordered.filter(after_key(KEY, resume)) if resume is not None else ordered


def batch_customers(
    relationships: RelationshipQuerySet, resume: tuple[str, int] | None, size: int
) -> QuerySet:
    """The customer ids of relationship_batch, as a subquery: the same index range, no join."""
    return _after(relationships, resume).values("customer_id")[:size]


def relationship_batch(
    relationships: RelationshipQuerySet, resume: tuple[str, int] | None, size: int
) -> QuerySet:
    """The next ``size`` relationships after ``resume`` (a name and id), as
    RELATIONSHIP_COLUMNS: one range of a partner-scoped index, read in order."""
    ordered = _after(relationships, resume)
    # Relationship.effective_agreement_status: a lapsed invitation is nothing on record.
    effective = Case(
        When(
            agreement_status=AgreementStatus.INVITED,
            invited_until__gt=timezone.now(),
            then=Value(AgreementStatus.INVITED),
        ),
        When(agreement_status=AgreementStatus.INVITED, then=Value(AgreementStatus.NONE)),
        default=F("agreement_status"),
        output_field=CharField(),
    )
    return ordered.annotate(effective_status=effective).values_list(*RELATIONSHIP_COLUMNS)[:size]


def _on_record(partner: Partner, customer_ids: QuerySet) -> dict[int, OnRecord]:
    rows = newest_acceptances(partner, customer_ids)
    found = {}
    for customer_id, method, first, last, email, phone, agreed, at, tid, rank, by in rows:
        found[customer_id] = OnRecord(
            method=method,
            accepted_by=AcceptedBy(first, last, email, phone or ""),
            date_agreed=agreed,
            recorded_at=at,
            template_id=tid,
            template_version=rank,
            recorded_by=by,
        )
    return found


def record_batches(
    parts: list[tuple[Partner, RelationshipQuerySet]],
    *,
    batch_size: int,
    limit: int | None = None,
    after: tuple[int, str, int] | None = None,
) -> Iterator[list[AgreementRecord]]:
    """The records of ``parts`` (customers.selectors.visible_by_partner), part after part,
    each in name order, ``batch_size`` at a time, at most ``limit`` in all, from after the
    position ``after`` (a record's ``position``). Raises ValueError for a position whose
    partner is not one of the parts."""
    start = 0
    if after is not None:
        partner_ids = [partner.pk for partner, _part in parts]
        if after[0] not in partner_ids:
            raise ValueError("The position is not in this collection.")
        start = partner_ids.index(after[0])
    remaining = limit
    for index in range(start, len(parts)):
        partner, relationships = parts[index]
        resume = (after[1], after[2]) if after is not None and index == start else None
        while remaining is None or remaining > 0:
            size = batch_size if remaining is None else min(batch_size, remaining)
            rows = list(relationship_batch(relationships, resume, size))
            if not rows:
                break
            # The batch again, as a subquery: an index range read twice costs less than
            # binding thousands of ids as parameters.
            on_record = _on_record(partner, batch_customers(relationships, resume, size))
            yield [
                AgreementRecord(
                    tenant_id=tenant_id,
                    domain=domain,
                    company_name=company,
                    country=str(country),
                    status=status,
                    partner_id=partner.pk,
                    on_record=on_record.get(customer_id),
                    sort_name=sort_name,
                    relationship_id=pk,
                )
                for (
                    pk,
                    sort_name,
                    customer_id,
                    status,
                    country,
                    tenant_id,
                    domain,
                    company,
                ) in rows
            ]
            if remaining is not None:
                remaining -= len(rows)
            if len(rows) < size:
                break
            resume = (rows[-1][1], rows[-1][0])
        if remaining is not None and remaining <= 0:
            return
