"""What recording one acceptance reads under the customer's lock, in one round trip.

Once ``agreements.services.record_acceptance`` holds the customer's lock it needs: the newest
record that counts for the partner (the duplicate check), the documents of the version it
records (key-share locked, so none can be deleted before it commits), the customer's
relationships with their partners (the status refresh) and the versions requiring
re-acceptance in the customer's country (whether the new record is outdated already). These
statements are written out here, not built by the ORM on every call, and go to the database
together with the lock (``portal.rows.run_together``): PostgreSQL runs them in order, so each
read sees everything committed before the lock was granted.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import connection

from agreements.models import (
    Acceptance,
    AgreementDocument,
    AgreementTemplate,
    AgreementType,
    EvidenceChainHead,
)
from agreements.validators import portal_today
from customers.locks import customers_lock_statement
from customers.models import Customer, Relationship
from portal.models import Partner
from portal.rows import Columns, Prepared, Statement, run_together


@dataclass(frozen=True)
class Ahead:
    # The newest record that counts for the partner (only its contact and date), if asked for.
    latest: Acceptance | None
    # The documents of the version to record (one a language, by tag; each with its template):
    # the given document, the given version's for the customer's country, else the latest
    # version's there. Empty when there is none (or the given document is gone).
    documents: list[AgreementDocument]
    # The customer's relationships, each with its partner.
    relationships: list[Relationship]
    # The published versions requiring re-acceptance with a document for the customer's
    # country, highest rank first (agreements.selectors.requiring_versions for one country).
    requiring: list[AgreementTemplate]
    # The evidence chain's head as it stood, read without its lock (PostgreSQL; else None):
    # the record is chained to it and appended only if no other append came first
    # (agreements.services._append).
    head: EvidenceChainHead | None = None
    # The published version a caller named (``NamedVersion``), None if there is none; the
    # documents are then its own.
    named: AgreementTemplate | None = None


@dataclass(frozen=True)
class NamedVersion:
    """A version as a caller names it (the API: a template ID and an agreement type), looked
    up with the rest of what is read ahead, in the same round trip, rather than before."""

    template_id: uuid.UUID
    agreement_type: str


_LATEST = Columns(
    Acceptance, "a", ["id", "first_name", "last_name", "email", "phone", "date_agreed"]
)
_DOCUMENT = Columns(AgreementDocument, "d")
_TEMPLATE = Columns(AgreementTemplate, "t")
_RELATIONSHIP = Columns(Relationship, "r")
_PARTNER = Columns(Partner, "p")
_HEAD = Columns(EvidenceChainHead, "h")
_TEMPLATE_ID = AgreementTemplate._meta.get_field("template_id")

_ACCEPTANCES = Acceptance._meta.db_table
_DOCUMENTS = AgreementDocument._meta.db_table
_TEMPLATES = AgreementTemplate._meta.db_table
_RELATIONSHIPS = Relationship._meta.db_table
_PARTNERS = Partner._meta.db_table
_DOCUMENTS_JOINED = f"FROM {_DOCUMENTS} d JOIN {_TEMPLATES} t ON t.id = d.template_id"
_SELECT_DOCUMENTS = f"SELECT {_DOCUMENT.sql}, {_TEMPLATE.sql} {_DOCUMENTS_JOINED}"

# The statements, with {partners} (the partners whose records count) and {lock} (the
# documents' key-share lock) as PostgreSQL and SQLite each write them.
_LATEST_SQL = (
    f"SELECT {_LATEST.sql} FROM {_ACCEPTANCES} a WHERE a.customer_id = %s "
    "AND a.partner_id {partners} ORDER BY a.recorded_at DESC, a.id DESC LIMIT 1"
)
# The exact document the person was shown, as long as it still exists.
_DOCUMENT_SQL = _SELECT_DOCUMENTS + " WHERE d.id = %s{lock}"
# The given version's documents for the customer's country.
_VERSION_DOCUMENTS_SQL = (
    _SELECT_DOCUMENTS + " WHERE d.template_id = %s AND d.country = %s AND t.published_on <= %s "
    "ORDER BY d.language{lock}"
)
# A named version's, by its template ID and type.
_NAMED_DOCUMENTS_SQL = (
    _SELECT_DOCUMENTS + " WHERE t.template_id = %s AND t.agreement_type = %s AND d.country = %s "
    "AND t.published_on <= %s ORDER BY d.language{lock}"
)
# The named version itself, whether or not it has a document for the customer's country.
_NAMED_SQL = (
    f"SELECT {_TEMPLATE.sql} FROM {_TEMPLATES} t WHERE t.template_id = %s "
    "AND t.agreement_type = %s AND t.published_on <= %s"
)
# The latest published version's (the rows come highest rank first).
_LATEST_DOCUMENTS_SQL = (
    _SELECT_DOCUMENTS + " WHERE d.country = %s AND t.agreement_type = %s "
    "AND t.published_on <= %s ORDER BY t.version_rank DESC, d.language{lock}"
)
_RELATIONSHIPS_SQL = (
    f"SELECT {_RELATIONSHIP.sql}, {_PARTNER.sql} FROM {_RELATIONSHIPS} r "
    f"JOIN {_PARTNERS} p ON p.id = r.partner_id WHERE r.customer_id = %s ORDER BY r.id"
)
_REQUIRING_SQL = (
    f"SELECT {_TEMPLATE.sql} {_DOCUMENTS_JOINED} WHERE d.country = %s "
    "AND t.published_on <= %s AND t.requires_reacceptance = %s "
    "AND t.agreement_type = %s ORDER BY t.version_rank DESC"
)
# A key-share lock: deleting the document waits for this transaction, other writers don't.
_KEY_SHARE = " FOR KEY SHARE OF d"

# On PostgreSQL each is parsed and planned once a connection (portal.rows.Prepared).
_PREPARED = {
    "latest": Prepared("ahead_latest", _LATEST_SQL.format(partners="= ANY(%s)")),
    "document": Prepared("ahead_document", _DOCUMENT_SQL.format(lock=_KEY_SHARE)),
    "version": Prepared("ahead_version_documents", _VERSION_DOCUMENTS_SQL.format(lock=_KEY_SHARE)),
    "newest": Prepared("ahead_latest_documents", _LATEST_DOCUMENTS_SQL.format(lock=_KEY_SHARE)),
    "named_documents": Prepared(
        "ahead_named_documents", _NAMED_DOCUMENTS_SQL.format(lock=_KEY_SHARE)
    ),
    "named": Prepared("ahead_named", _NAMED_SQL),
    "relationships": Prepared("ahead_relationships", _RELATIONSHIPS_SQL),
    "requiring": Prepared("ahead_requiring", _REQUIRING_SQL),
    "head": Prepared(
        "ahead_head", f"SELECT {_HEAD.sql} FROM {EvidenceChainHead._meta.db_table} h WHERE h.id = 1"
    ),
}


def _statement(key: str, *params: Any) -> Statement:
    """The statement ``key`` names with these parameters: prepared on PostgreSQL, as written
    elsewhere (SQLite runs one writer at a time: no locks; a list of partners as IN)."""
    if connection.vendor == "postgresql":
        return _PREPARED[key](*params)
    if key == "latest":
        customer_id, partners = params
        sql = _LATEST_SQL.format(partners=f"IN ({', '.join(['%s'] * len(partners))})")
        return sql, [customer_id, *partners]
    return _PREPARED[key].sql.replace(_KEY_SHARE, ""), list(params)


def read_ahead(
    customer: Customer,
    partner: Partner,
    *,
    latest: bool,
    template: AgreementTemplate | None = None,
    document: AgreementDocument | None = None,
    named: NamedVersion | None = None,
    today: datetime.date | None = None,
) -> Ahead:
    """Lock the customer (customers.locks' first step) and read what recording needs: the
    documents of ``document``'s version, else ``template``'s, else the ``named`` version's,
    else the latest version's."""
    today = today or portal_today()
    statements: list[Statement] = []
    lock = customers_lock_statement([customer.pk])
    if lock is not None:
        statements.append(lock)
    if latest:
        statements.append(_statement("latest", customer.pk, partner.attesting_partners_ids()))
    if document is not None:
        statements.append(_statement("document", document.pk))
    elif template is not None:
        statements.append(_statement("version", template.pk, customer.country.code, today))
    elif named is not None:
        template_id = _TEMPLATE_ID.get_db_prep_value(named.template_id, connection)
        statements.append(
            _statement(
                "named_documents", template_id, named.agreement_type, customer.country.code, today
            )
        )
        statements.append(_statement("named", template_id, named.agreement_type, today))
    else:
        statements.append(_statement("newest", customer.country.code, AgreementType.MCA, today))
    statements.append(_statement("relationships", customer.pk))
    statements.append(
        _statement("requiring", customer.country.code, today, True, AgreementType.MCA)
    )
    # Read last, without its lock (PostgreSQL only: SQLite's one writer reads it when it
    # appends).
    read_head = connection.vendor == "postgresql"
    if read_head:
        statements.append(_statement("head"))
    results = run_together(connection, statements)
    if lock is not None:
        results.pop(0)
    head = None
    if read_head:
        heads = results.pop()
        head = _HEAD.build(heads[0], connection) if heads else None
    found_latest = None
    if latest:
        rows = results.pop(0)
        found_latest = _LATEST.build(rows[0], connection) if rows else None
    found_named = None
    if named is not None:
        rows = results.pop(1)
        found_named = _TEMPLATE.build(rows[0], connection) if rows else None
    document_rows, relationship_rows, requiring_rows = results
    return Ahead(
        latest=found_latest,
        documents=_first_version([_document(row) for row in document_rows]),
        relationships=[_relationship(row) for row in relationship_rows],
        requiring=_distinct([_TEMPLATE.build(row, connection) for row in requiring_rows]),
        head=head,
        named=found_named,
    )


def _document(row: tuple) -> AgreementDocument:
    document = _DOCUMENT.build(row[: _DOCUMENT.width], connection)
    document.template = _TEMPLATE.build(row[_DOCUMENT.width :], connection)
    return document


def _relationship(row: tuple) -> Relationship:
    relationship = _RELATIONSHIP.build(row[: _RELATIONSHIP.width], connection)
    relationship.partner = _PARTNER.build(row[_RELATIONSHIP.width :], connection)
    return relationship


def _first_version(documents: list[AgreementDocument]) -> list[AgreementDocument]:
    """The first version's documents (the rows come highest rank first)."""
    return [d for d in documents if d.template_id == documents[0].template_id] if documents else []


def _distinct(templates: list[AgreementTemplate]) -> list[AgreementTemplate]:
    return list({template.pk: template for template in templates}.values())
