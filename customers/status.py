"""The agreement status of each relationship: one pure precedence function over facts that
the apps above customers report.

The status lives on ``Relationship`` (denormalised so the customers list filters on an
index), but what decides it lives higher up: acceptance records in agreements, blocked and
open invitations in invitations. customers can't import those apps, so each registers a
*fact source* here from its ``AppConfig.ready()`` (a registry, not an import), and
``refresh_agreement_status`` — which the higher apps call after every write that can change
the answer — asks them all, then applies ``agreement_status``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, models
from django.utils import timezone

from customers.models import AgreementStatus, Customer, Relationship
from portal.rows import Prepared, Statement, run_together


@dataclass
class Facts:
    """What the higher apps know about one relationship."""

    # ATTESTED or ACCEPTED when an acceptance that counts for this partner is on record,
    # from the newest such record.
    on_record: str | None = None
    # The date agreed of that newest record (the customers list shows and sorts by it).
    last_accepted_on: datetime.date | None = None
    # That newest record must be renewed: a version requiring re-acceptance is in force for
    # the customer and the record is of an older version or before its cut-off.
    outdated: bool = False
    # R6: the customer was found unable to accept directly this partner's invitation.
    blocked: bool = False
    # Until when this partner's latest invitation stays open, if one is.
    invited_until: datetime.datetime | None = None


# A source fills in the facts it knows, for the customer's relationships (keyed by pk).
FactSource = Callable[[Customer, list[Relationship], dict[int, Facts]], None]

# (source, whether it reports what is on record), those that do first.
_sources: list[tuple[FactSource, bool]] = []


def register_fact_source(source: FactSource, *, on_record: bool = False) -> FactSource:
    """Add a source. Sources that report what is on record (``on_record``) are asked first:
    a relationship with an acceptance on record needs no other fact (it takes precedence),
    so the other sources are asked only about the rest, and not at all when none is left."""
    if all(existing is not source for existing, _on_record in _sources):
        _sources.append((source, on_record))
        _sources.sort(key=lambda entry: not entry[1])
    return source


def agreement_status(facts: Facts, now: datetime.datetime) -> tuple[str, datetime.datetime | None]:
    """The precedence, in one place: on record, then blocked, then re-acceptance due, then
    invited, else nothing.

    Once found unable to accept directly (R6), the customer stays "partner must attest" even
    while a later invitation asks it for the reseller relationship alone (D2), and when its
    record must be renewed (only the partner can renew it). A customer due to accept again
    stays "re-acceptance due" while invited to (its old record still lets it order until the
    deadline); ``invited_until`` then says until when its invitation is open. An invitation
    lapses on its own: readers compare ``invited_until`` with the clock.
    """
    if facts.on_record in (AgreementStatus.ACCEPTED, AgreementStatus.ATTESTED):
        if not facts.outdated:
            return facts.on_record, None
    if facts.blocked:
        return AgreementStatus.BLOCKED, None
    if facts.on_record is not None:
        open_until = facts.invited_until
        return AgreementStatus.DUE, open_until if open_until and open_until > now else None
    if facts.invited_until is not None and facts.invited_until > now:
        return AgreementStatus.INVITED, facts.invited_until
    return AgreementStatus.NONE, None


def customer_relationships(customer: Customer) -> list[Relationship]:
    """What ``refresh_agreement_status`` reads: each of the customer's relationships with its
    partner. A caller that needs them too reads them once and passes them in."""
    return list(Relationship.objects.filter(customer=customer).select_related("partner"))


def refresh_agreement_status(
    customer: Customer, relationships: list[Relationship] | None = None
) -> None:
    """Recompute the stored status of each of this customer's relationships (``relationships``:
    all of them, from ``customer_relationships``, read under the customer's lock)."""
    writes = status_writes(customer, relationships)
    if writes:
        run_together(connection, writes)


# One relationship's stored status (portal.rows.Prepared: planned once a connection).
_STATUS_FIELDS: list[models.Field] = [
    Relationship._meta.get_field(name)  # type: ignore[misc]  # concrete columns, no relations
    for name in ("agreement_status", "invited_until", "last_accepted_on")
]
_WRITE_STATUS = Prepared(
    "relationship_status",
    f"UPDATE {Relationship._meta.db_table} SET "
    + ", ".join(f'"{field.column}" = %s' for field in _STATUS_FIELDS)
    + " WHERE id = %s",
)


def status_writes(
    customer: Customer, relationships: list[Relationship] | None = None
) -> list[Statement]:
    """What ``refresh_agreement_status`` writes, as statements for the caller to send
    (``portal.rows.run_together``), perhaps with its own: one UPDATE for each relationship
    whose stored status changes, none for the others. The relationships in hand take the new
    values at once."""
    if relationships is None:
        relationships = customer_relationships(customer)
    facts = {relationship.pk: Facts() for relationship in relationships}
    undecided = relationships
    for source, on_record in _sources:
        if on_record:
            source(customer, relationships, facts)
            # A record that must be renewed decides nothing: blocked and invited still count.
            undecided = [
                r for r in relationships if facts[r.pk].on_record is None or facts[r.pk].outdated
            ]
        elif undecided:
            source(customer, undecided, facts)
    now = timezone.now()
    writes: list[Statement] = []
    for relationship in relationships:
        status, invited_until = agreement_status(facts[relationship.pk], now)
        stored = (relationship.agreement_status, relationship.invited_until)
        accepted_on = facts[relationship.pk].last_accepted_on
        if stored != (status, invited_until) or relationship.last_accepted_on != accepted_on:
            values = (status, invited_until, accepted_on)
            writes.append(
                _WRITE_STATUS(
                    *(
                        field.get_db_prep_save(value, connection)
                        for field, value in zip(_STATUS_FIELDS, values, strict=True)
                    ),
                    relationship.pk,
                )
            )
            relationship.agreement_status, relationship.invited_until = status, invited_until
            relationship.last_accepted_on = accepted_on
    return writes
