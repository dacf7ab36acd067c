"""Customer agreement records: each customer a partner sees, with the acceptance that counts
for it (Partner Center's "customer agreement records"), read in batches for the CSV export
and the records API.

A batch is one index range of one partner's relationships, in the customers list's name
order, read by keyset (never OFFSET), and the newest acceptance that counts for each of its
customers, in one more query: two queries a batch, whatever the number of rows.

The export reads the same batches as plain rows of text (row_batches): on PostgreSQL one query
a batch, the newest acceptance of each relationship joined LATERALly (one step down the
history index each) and the tenant id and times formatted by the database; elsewhere the two
queries above, formatted in Python.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Case, CharField, ExpressionWrapper, F, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from agreements.evidence import iso_utc
from agreements.models import Acceptance, AgreementTemplate
from customers.models import AgreementStatus, RelationshipQuerySet
from portal.api.pagination import after_key
from portal.models import Partner, User

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
    relationships: RelationshipQuerySet, resume: tuple[str, int] | None, size: int | None
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


# A row of row_batches: the tenant id, domain, company name, country, agreement status, and of
# the acceptance on record (each None without one) the method, accepted-by first name, last
# name, email and phone, the date agreed ("YYYY-MM-DD"), the template's version, when it was
# recorded ("…Z", UTC, microseconds) and the email of the user who recorded it; then the
# keyset's name and relationship id.
Row = tuple[Any, ...]


def row_batches(
    parts: list[tuple[Partner, RelationshipQuerySet]], *, batch_size: int
) -> Iterator[list[Row]]:
    """The records of ``parts`` (as record_batches, in the same order) as Rows,
    ``batch_size`` at a time."""
    for partner, relationships in parts:
        lateral = connections[relationships.db].vendor == "postgresql"
        resume: tuple[str, int] | None = None
        while True:
            if lateral:
                with connections[relationships.db].cursor() as cursor:
                    cursor.execute(*lateral_batch(partner, relationships, resume, batch_size))
                    rows = cursor.fetchall()
            else:
                rows = portable_batch(partner, relationships, resume, batch_size)
            if not rows:
                break
            yield rows
            if len(rows) < batch_size:
                break
            resume = (rows[-1][-2], rows[-1][-1])


def lateral_batch(
    partner: Partner,
    relationships: RelationshipQuerySet,
    resume: tuple[str, int] | None,
    size: int | None,
) -> tuple[str, tuple[Any, ...]]:
    """The SQL and parameters of one batch of Rows on PostgreSQL (all of them when ``size``
    is None): relationship_batch, each row's newest acceptance that counts for ``partner``
    joined LATERALly."""
    batch, params = relationship_batch(relationships, resume, size).query.sql_with_params()
    attesting = partner.attesting_partners_ids()
    # One placeholder each: an array parameter would be typed smallint[] and keep partner_id
    # out of the index condition.
    partner_in = ", ".join(["%s"] * len(attesting))
    acceptances = Acceptance._meta.db_table
    templates = AgreementTemplate._meta.db_table
    users = User._meta.db_table
    # The history index (customer, partner, recorded_at DESC, id DESC) read one step per
    # customer; a reseller's two attesting partners are a short top-1 over both.
    sql = f"""
        SELECT b."customer__tenant_id"::text, b."customer__domain", b."customer__company_name",
               b."customer_country", b."effective_status",
               a."method", a."first_name", a."last_name", a."email", a."phone",
               to_char(a."date_agreed", 'YYYY-MM-DD'), t."version_rank",
               to_char(a."recorded_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
               u."email",
               b."customer_sort_name", b."id"
        FROM ({batch}) b
        LEFT JOIN LATERAL (
            SELECT x."method", x."first_name", x."last_name", x."email", x."phone",
                   x."date_agreed", x."recorded_at", x."template_id", x."recorded_by_id"
            FROM "{acceptances}" x
            WHERE x."customer_id" = b."customer_id" AND x."partner_id" IN ({partner_in})
            ORDER BY x."recorded_at" DESC, x."id" DESC
            LIMIT 1
        ) a ON TRUE
        LEFT JOIN "{templates}" t ON t."id" = a."template_id"
        LEFT JOIN "{users}" u ON u."id" = a."recorded_by_id"
        ORDER BY b."customer_sort_name", b."id"
    """
    return sql, (*params, *attesting)


def portable_batch(
    partner: Partner,
    relationships: RelationshipQuerySet,
    resume: tuple[str, int] | None,
    size: int,
) -> list[Row]:
    """One batch of Rows on any database: relationship_batch, then the newest acceptances of
    its customers, formatted here."""
    rows = list(relationship_batch(relationships, resume, size))
    if not rows:
        return []
    on_record = _on_record(partner, batch_customers(relationships, resume, size))
    batch: list[Row] = []
    for pk, sort_name, customer_id, status, country, tenant_id, domain, company in rows:
        head = (str(tenant_id), domain, company, str(country), status)
        accepted = on_record.get(customer_id)
        if accepted is None:
            batch.append(
                (*head, None, None, None, None, None, None, None, None, None, sort_name, pk)
            )
            continue
        person = accepted.accepted_by
        batch.append(
            (
                *head,
                accepted.method,
                person.first_name,
                person.last_name,
                person.email,
                person.phone,
                accepted.date_agreed.isoformat(),
                accepted.template_version,
                iso_utc(accepted.recorded_at),
                accepted.recorded_by,
                sort_name,
                pk,
            )
        )
    return batch
