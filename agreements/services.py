"""Writes that span several models: recording evidence and keeping statuses current."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.models import OuterRef, Q, Subquery
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.ahead import NamedVersion, read_ahead
from agreements.evidence import iso_utc
from agreements.models import (
    Acceptance,
    AcceptanceMethod,
    AgreementDocument,
    AgreementTemplate,
    AttestationRequest,
    EvidenceChainHead,
    EvidenceCheckpoint,
    lock_evidence_chain,
    signatory_statement,
)
from agreements.selectors import (
    Requirement,
    choose_document,
    document_for,
    required_version_documents,
    requirement_for,
    requirement_from,
)
from agreements.signing import canonical_json, current_signing_key, sha256_hex
from agreements.validators import (
    one_today,
    portal_today,
    validate_agreed_on_or_after_publication,
    validate_not_in_future,
)
from customers.locks import lock_customers, retry_on_conflict
from customers.models import AgreementStatus, Customer, Relationship
from customers.status import (
    Facts,
    agreement_status,
    refresh_agreement_status,
    status_writes,
)
from portal.batch_updates import copy_plan, copy_values, update_rows
from portal.models import Partner, User
from portal.rows import Prepared, Statement, run_together


class DuplicateAttestation(ValidationError):
    """The same contact and date as the latest record."""


class AttestationNotAllowed(ValidationError):
    """R3: indirect resellers never attest."""


class UnknownVersion(ValidationError):
    """No published version has the template ID and type a caller named."""


@dataclass(frozen=True)
class Contact:
    first_name: str
    last_name: str
    email: str
    phone: object = ""


@dataclass(frozen=True)
class SignatoryEvidence:
    """What a signatory acceptance records beyond the contact: the signing request's public id
    (the API's attestationId), when the emailed code was verified, the job title and the
    full name the signatory typed as signature."""

    attestation_id: str
    code_verified_at: datetime.datetime
    job_title: str
    typed_signature: str


# The methods that are the partner's acceptance on record, so R3 applies: a reseller never
# records them.
PARTNER_METHODS = (AcceptanceMethod.PARTNER_ATTESTATION, AcceptanceMethod.SIGNATORY_ACCEPTANCE)


def reseller_cannot_attest_message(partner: Partner) -> str:
    """R3's explanation, naming the provider: shared by the service, the web and the API."""
    return _(
        "Indirect resellers can't attest. Ask your indirect provider, %(provider)s, to attest."
    ) % {"provider": partner.provider.name if partner.provider else ""}


@retry_on_conflict
def record_acceptance(
    *,
    customer: Customer,
    partner: Partner,
    recorded_by: User,
    method: str,
    channel: str,
    contact: Contact,
    date_agreed: datetime.date,
    template: AgreementTemplate | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
    document: AgreementDocument | None = None,
    named: NamedVersion | None = None,
    signatory: SignatoryEvidence | None = None,
    language: str | None = None,
) -> Acceptance:
    """Append one signed record to the evidence chain (R1, R3, R9) and refresh statuses.

    Locks in customers.locks' order. Everything that can be checked or written ahead is done
    under the customer's lock (what it reads comes in one round trip: agreements.ahead). The
    record is sealed to the chain head as read then, and the head is locked only by the append
    that moves it (if no other append came first), or else to hash, sign and insert again.

    The version recorded is ``document``'s, else ``template``, else the ``named`` one (looked up
    with the rest: UnknownVersion if none is published, and the date agreed held to it before
    anything else), else the latest for the customer's country.
    """
    validate_not_in_future(date_agreed)
    if method in PARTNER_METHODS and not partner.may_attest:
        raise AttestationNotAllowed(reseller_cannot_attest_message(partner), code="reseller")
    today = portal_today()
    # The customer's lock and what is read under it, in one round trip.
    ahead = read_ahead(
        customer,
        partner,
        # Only what the duplicate check compares: no joins, no evidence columns.
        latest=method == AcceptanceMethod.PARTNER_ATTESTATION,
        template=template,
        document=document,
        named=named,
        today=today,
    )
    if named is not None:
        if ahead.named is None:
            raise UnknownVersion(
                f"No published {named.agreement_type} template with this id.", code="unknown"
            )
        validate_agreed_on_or_after_publication(date_agreed, ahead.named)
    latest = ahead.latest
    if latest is not None and latest.same_contact_and_date(
        first_name=contact.first_name,
        last_name=contact.last_name,
        email=contact.email,
        phone=contact.phone,
        date_agreed=date_agreed,
    ):
        raise DuplicateAttestation(
            _(
                "This acceptance is already on record with the same person and date. "
                "Change the contact or the date to record a correction."
            ),
            code="duplicate",
        )
    if document is not None:
        # The exact document the person was shown (a signing request's, in its language).
        if not ahead.documents:
            raise ValidationError(
                _("The agreement document shown is no longer published."), code="no_document"
            )
    else:
        # In the language the person read (a form's choice), else the customer's. A document
        # deleted a moment ago (only one nothing cites can be) is not among them.
        document = choose_document(customer, ahead.documents, language)
    validate_agreed_on_or_after_publication(date_agreed, document.template)

    now = timezone.now()
    acceptance = Acceptance(
        customer=customer,
        template=document.template,
        method=method,
        first_name=contact.first_name.strip(),
        last_name=contact.last_name.strip(),
        email=contact.email.strip(),
        phone=contact.phone or "",
        date_agreed=date_agreed,
        partner=partner,
        recorded_by=recorded_by,
        channel=channel,
        recorded_at=now,
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:500],
        document_sha256=document.sha256,
    )
    if signatory is not None:
        acceptance.signatory = signatory_statement(
            attestation_id=str(signatory.attestation_id),
            code_verified_at=signatory.code_verified_at,
            job_title=signatory.job_title.strip()[:100],
            typed_signature=signatory.typed_signature.strip()[:200],
        )
    # The related rows are the objects in hand and public_id is fresh: no query needed.
    acceptance.full_clean(
        exclude=[
            "customer",
            "template",
            "partner",
            "recorded_by",
            "public_id",
            "chain_hash",
            "previous_hash",
            "sequence",
            "statement",
            "key_id",
            "signature",
        ],
        # Its one check constraint (a date is present) the field validation above covers;
        # validating constraints would cost a savepoint and a query.
        validate_constraints=False,
    )
    relationships = ahead.relationships
    if any(relationship.partner.provider_id for relationship in relationships):
        # Only a reseller asks its provider to attest (R3): without one, nothing is open.
        AttestationRequest.objects.filter(customer=customer, resolved_at__isnull=True).update(
            resolved_at=now
        )
    # Statuses as they will be once the record is in, written before the chain is locked.
    token = _recording.set(
        Recording(
            partner.pk,
            method,
            date_agreed,
            document.template.version_rank,
            requirement_from(ahead.requiring, today),
        )
    )
    try:
        statuses = status_writes(customer, relationships)
    finally:
        _recording.reset(token)

    if ahead.head is None:
        # Not read ahead (SQLite, one writer at a time): the statuses, then the append.
        if statuses:
            run_together(connection, statuses)
    elif _seal(acceptance, ahead.head, unless_moved=True, statuses=statuses):
        # Chained to the head as read ahead: no append came in between.
        return acceptance
    # Another append moved the head meanwhile (or it wasn't read): take its lock, seal again.
    # (The statuses went with the first try: they are written either way.)
    _seal(acceptance, lock_evidence_chain())
    return acceptance


@dataclass(frozen=True)
class Recording:
    """The record being written, for acceptance_facts while the statuses are refreshed ahead
    of the append, with re-acceptance as it stands in the customer's country (read ahead)."""

    partner_id: int
    method: str
    date_agreed: datetime.date
    version_rank: int
    requirement: Requirement


_recording: ContextVar[Recording | None] = ContextVar("recording", default=None)


def _keep_document(document: AgreementDocument) -> bool:
    """Hold a key-share lock on the document whose hash is recorded, so it can't be deleted
    before this commits: deleting waits, other writers don't. False if it is gone already.
    (SQLite runs one writer at a time: nothing to lock.)"""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM agreements_agreementdocument WHERE id = %s FOR KEY SHARE",
            [document.pk],
        )
        return cursor.fetchone() is not None


def _seal(
    acceptance: Acceptance,
    head: EvidenceChainHead,
    *,
    unless_moved: bool = False,
    statuses: Sequence[Statement] = (),
) -> bool:
    """Chain the record to ``head``, hash, sign and append it, and sign a checkpoint of the
    new head. ``unless_moved``: ``head`` was read without its lock (PostgreSQL), so append only
    if it is still the head; False if another append came first (nothing more is written).
    ``statuses``: the relationships' status writes (customers.status.status_writes), sent
    ahead of the append, and written whether or not it is."""
    acceptance.previous_hash = head.last_hash
    acceptance.sequence = head.count + 1
    key = current_signing_key()
    statement = canonical_json(acceptance.statement_data())
    acceptance.statement = statement.decode()
    acceptance.chain_hash = sha256_hex(statement)
    signature = key.sign(statement)
    acceptance.key_id, acceptance.signature = signature.key_id, signature.value

    checkpoint = {
        "type": "mca-evidence-checkpoint",
        "count": acceptance.sequence,
        "headHash": acceptance.chain_hash,
        "signedAt": iso_utc(acceptance.recorded_at),
        "unsignedPrefix": head.unsigned_prefix,
    }
    checkpoint_bytes = canonical_json(checkpoint)
    checkpoint_signature = key.sign(checkpoint_bytes)
    signed_checkpoint = EvidenceCheckpoint(
        count=acceptance.sequence,
        head_hash=acceptance.chain_hash,
        signed_at=acceptance.recorded_at,
        statement=checkpoint_bytes.decode(),
        key_id=checkpoint_signature.key_id,
        signature=checkpoint_signature.value,
    )
    if connection.vendor == "postgresql":
        return _append(
            acceptance,
            signed_checkpoint,
            unless_moved_from=head.count if unless_moved else None,
            statuses=statuses,
        )
    if statuses:
        run_together(connection, statuses)
    if unless_moved:
        # SQLite runs one writer at a time, but the head was read before this one began
        # writing: read it again (the caller seals again under its "lock").
        return False
    acceptance.save()
    signed_checkpoint.save()
    EvidenceChainHead.objects.filter(pk=1).update(
        last_hash=acceptance.chain_hash, count=acceptance.sequence
    )
    return True


def _inserted_after_head(model: type[Acceptance] | type[EvidenceCheckpoint]) -> tuple[str, list]:
    """An INSERT of one ``model`` row for each head moved (one, or none), and its columns."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(f'"{field.column}"' for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f'INSERT INTO "{model._meta.db_table}" ({columns}) SELECT {placeholders} FROM head'
    return sql, fields


_RECORD_INSERT, _RECORD_FIELDS = _inserted_after_head(Acceptance)
_CHECKPOINT_INSERT, _CHECKPOINT_FIELDS = _inserted_after_head(EvidenceCheckpoint)
_APPEND_SQL = (
    f'WITH head AS (UPDATE "{EvidenceChainHead._meta.db_table}" SET last_hash = %s, count = %s '
    "WHERE id = 1{unmoved} RETURNING id), "
    f"record AS ({_RECORD_INSERT} RETURNING id), checkpoint AS ({_CHECKPOINT_INSERT}) "
    "SELECT (SELECT id FROM record)"
)
# Prepared (portal.rows.Prepared): planning the statement took as long as running it.
_APPEND = Prepared("chain_append", _APPEND_SQL.format(unmoved=""))
_APPEND_UNLESS_MOVED = Prepared(
    "chain_append_unless_moved", _APPEND_SQL.format(unmoved=" AND count = %s")
)


def _append(
    acceptance: Acceptance,
    checkpoint: EvidenceCheckpoint,
    *,
    unless_moved_from: int | None,
    statuses: Sequence[Statement] = (),
) -> bool:
    """The moved head, the record and its checkpoint in one statement (PostgreSQL): the chain
    head's lock is held for that one round trip and the commit, not three. ``statuses`` go
    ahead of it in the same round trip: the relationships' rows are written before the chain
    head is locked, in customers.locks' order.

    ``unless_moved_from``: the head's count when it was read, without its lock. The head moves
    only if it still has that count (an append in between, once committed, leaves it
    unmatched), and the record and checkpoint are inserted only with it: False, and nothing
    written, if another append came first."""
    database = connections[DEFAULT_DB_ALIAS]
    values = [
        *(
            field.get_db_prep_save(field.pre_save(acceptance, True), database)
            for field in _RECORD_FIELDS
        ),
        *(
            field.get_db_prep_save(field.pre_save(checkpoint, True), database)
            for field in _CHECKPOINT_FIELDS
        ),
    ]
    head = [acceptance.chain_hash, acceptance.sequence]
    statement = (
        _APPEND(*head, *values)
        if unless_moved_from is None
        else _APPEND_UNLESS_MOVED(*head, unless_moved_from, *values)
    )
    *_written, [(acceptance.pk,)] = run_together(database, [*statuses, statement])
    if acceptance.pk is None:
        return False
    acceptance._state.adding, acceptance._state.db = False, database.alias
    # As Model.save() would: the alerts listen for a customer's own acceptance.
    post_save.send(
        sender=Acceptance,
        instance=acceptance,
        created=True,
        update_fields=None,
        raw=False,
        using=database.alias,
    )
    return True


def acceptance_facts(
    customer: Customer, relationships: list[Relationship], facts: dict[int, Facts]
) -> None:
    """customers.status's fact source: what is on record for each relationship's partner
    (its own records and, for a reseller, its provider's), by the newest that counts, and
    whether a version requiring re-acceptance outdates it (one more query, only when
    something is on record)."""
    pending = _recording.get()
    counted = {r.pk: set(r.partner.attesting_partners_ids()) for r in relationships}
    newest_first: list[tuple[int, str, datetime.date, int]] = []
    if pending is None or any(pending.partner_id not in ids for ids in counted.values()):
        newest_first = list(
            Acceptance.objects.filter(customer=customer)
            .order_by("-recorded_at", "-id")
            .values_list("partner_id", "method", "date_agreed", "template__version_rank")
        )
    # The record being written is the newest; where it counts, nothing older is needed.
    requirement: Requirement | None = None
    if pending is not None:
        newest_first.insert(
            0, (pending.partner_id, pending.method, pending.date_agreed, pending.version_rank)
        )
        requirement = pending.requirement
    for relationship in relationships:
        method, agreed, rank = next(
            (
                (m, agreed, rank)
                for pid, m, agreed, rank in newest_first
                if pid in counted[relationship.pk]
            ),
            (None, None, None),
        )
        fact = facts[relationship.pk]
        fact.last_accepted_on = agreed
        if method is None or agreed is None or rank is None:
            continue
        if method == AcceptanceMethod.DIRECT_ACCEPTANCE:
            fact.on_record = AgreementStatus.ACCEPTED
        else:
            fact.on_record = AgreementStatus.ATTESTED
        if requirement is None:
            requirement = requirement_for(customer.country.code)
        fact.outdated = requirement.outdates(rank, agreed)


def request_attestation(
    *, customer: Customer, reseller: Partner, requested_by: User
) -> AttestationRequest:
    """R3: put one open request in the provider's queue; asking twice keeps the first.
    Once an acceptance counts for the reseller (its provider's or the customer's own),
    there is nothing left to ask."""
    if Acceptance.objects.filter(customer=customer).for_partner(reseller).exists():
        raise ValidationError(_nothing_to_ask_message(), code="already_on_record")
    try:
        with transaction.atomic():
            request, _created = AttestationRequest.objects.get_or_create(
                customer=customer,
                reseller=reseller,
                resolved_at__isnull=True,
                defaults={"provider": reseller.provider, "requested_by": requested_by},
            )
    except IntegrityError:
        # Two agents asked at the same moment: the partial unique constraint kept one.
        request = AttestationRequest.objects.get(
            customer=customer, reseller=reseller, resolved_at__isnull=True
        )
    return request


def _nothing_to_ask_message() -> str:
    return _(
        "Acceptance of the Microsoft Customer Agreement is already on record for this "
        "customer: there is nothing to ask your provider."
    )


def request_attestations(
    customers: list[Customer], *, reseller: Partner, requested_by: User
) -> dict[int, AttestationRequest | ValidationError]:
    """``request_attestation`` for many customers at once, by customer id: each its open
    request (made now, or the one open already) or why there is nothing to ask. Three queries
    however many customers: what is on record, the new requests inserted (a customer's open
    request already there is kept, as the partial unique constraint keeps one), and the open
    requests read back."""
    provider_id = reseller.provider_id
    if provider_id is None:
        raise ValueError("Only an indirect reseller asks its provider to attest.")
    ids = list(dict.fromkeys(customer.pk for customer in customers))
    if not ids:
        return {}
    on_record = set(
        Acceptance.objects.filter(customer_id__in=ids)
        .for_partner(reseller)
        .values_list("customer_id", flat=True)
        .distinct()
    )
    results: dict[int, AttestationRequest | ValidationError] = {
        pk: ValidationError(_nothing_to_ask_message(), code="already_on_record")
        for pk in ids
        if pk in on_record
    }
    to_ask = [pk for pk in ids if pk not in on_record]
    if not to_ask:
        return results
    now = timezone.now()
    AttestationRequest.objects.bulk_create(
        [
            AttestationRequest(
                customer_id=pk,
                reseller=reseller,
                provider_id=provider_id,
                requested_by=requested_by,
                requested_at=now,
            )
            for pk in to_ask
        ],
        ignore_conflicts=True,
    )
    for request in AttestationRequest.objects.filter(
        customer_id__in=to_ask, reseller=reseller, resolved_at__isnull=True
    ):
        # The provider is the reseller's: no query to name it.
        if request.provider_id == provider_id and reseller.provider is not None:
            request.provider = reseller.provider
        results[request.customer_id] = request
    return results


# --- Many records at once (bulk attestation) ----------------------------------------------


@dataclass(frozen=True)
class Attestation:
    """One row of a batch for ``record_acceptances``: a partner attestation for a customer the
    caller has already found in the agent's scope (R4)."""

    customer: Customer
    contact: Contact
    date_agreed: datetime.date
    template: AgreementTemplate | None = None


def _duplicate_error() -> DuplicateAttestation:
    return DuplicateAttestation(
        _(
            "This acceptance is already on record with the same person and date. "
            "Change the contact or the date to record a correction."
        ),
        code="duplicate",
    )


@one_today()
def record_acceptances(
    items: list[Attestation],
    *,
    partner: Partner,
    recorded_by: User,
    channel: str,
    bulk_job: uuid.UUID | None = None,
    write: bool = True,
    contacts_cleaned: bool = False,
) -> list[Acceptance | ValidationError]:
    """Partner attestations for many customers in one go: for each item, its record or why
    not (R1, the version rule, the document, 600061 — against what is on record and the rows
    before it in ``items``). The same checks as ``record_acceptance``; R3 refuses the whole
    batch.

    With ``write`` the valid items are appended in the caller's transaction, in customers.locks'
    order: the batch's customers in pk order, then the chain head once for the whole batch,
    with one signed checkpoint of the new head. Without, nothing is locked or written (a
    preview, or all-or-nothing's check before its first write).

    ``contacts_cleaned``: the caller cleaned each item's contact with the record's own form
    fields (``contact_formfields``: the columns' validators), so the records' contact columns
    are not validated a second time; the columns the batch shares still are, on its first
    record.
    """
    if not partner.may_attest:
        raise AttestationNotAllowed(reseller_cannot_attest_message(partner), code="reseller")
    results: list[Acceptance | ValidationError | None] = [None] * len(items)
    for index, item in enumerate(items):
        try:
            validate_not_in_future(item.date_agreed)
        except ValidationError as error:
            results[index] = error
    pending = [index for index, result in enumerate(results) if result is None]
    customer_ids = sorted({items[index].customer.pk for index in pending})
    if write:
        lock_customers(customer_ids)
    latest = _latest_contacts(customer_ids, partner)
    documents: dict[tuple[str, int | None, str], AgreementDocument | ValidationError] = {}
    now = timezone.now()
    chained: list[tuple[int, Acceptance]] = []
    for index in pending:
        item = items[index]
        customer = item.customer
        # The document depends on the customer's language too, where loaded (document_for).
        key = (
            _country_code(customer),
            item.template.pk if item.template else None,
            customer.__dict__.get("language", ""),
        )
        if key not in documents:
            try:
                documents[key] = document_for(customer, item.template)
                if write and not _keep_document(documents[key]):  # type: ignore[arg-type]
                    documents[key] = document_for(customer, item.template)
                    _keep_document(documents[key])  # type: ignore[arg-type]
            except ValidationError as error:
                documents[key] = error
        document = documents[key]
        if isinstance(document, ValidationError):
            results[index] = document
            continue
        contact = item.contact
        try:
            validate_agreed_on_or_after_publication(item.date_agreed, document.template)
            previous = latest.get(customer.pk)
            if previous is not None and previous.same_contact_and_date(
                first_name=contact.first_name,
                last_name=contact.last_name,
                email=contact.email,
                phone=contact.phone,
                date_agreed=item.date_agreed,
            ):
                raise _duplicate_error()
            acceptance = Acceptance(
                customer=customer,
                template=document.template,
                method=AcceptanceMethod.PARTNER_ATTESTATION,
                first_name=contact.first_name.strip(),
                last_name=contact.last_name.strip(),
                email=contact.email.strip(),
                phone=contact.phone or "",
                date_agreed=item.date_agreed,
                partner=partner,
                recorded_by=recorded_by,
                channel=channel,
                recorded_at=now,
                document_sha256=document.sha256,
                bulk_job=bulk_job,
            )
            # Its columns' validators, as record_acceptance runs them (a caller's form ran
            # them already: a bulk row is checked by the web form's fields). The columns the
            # whole batch shares are checked on its first record; the date was held to R1
            # above, against the batch's today.
            if not chained:
                acceptance.clean_fields(exclude=_NOT_CLEANED)
            elif not contacts_cleaned:
                acceptance.clean_fields(exclude=_NOT_CLEANED_AFTER_FIRST)
        except ValidationError as error:
            results[index] = error
            continue
        # The next row for this customer compares with this one, as it would once recorded.
        latest[customer.pk] = acceptance
        results[index] = acceptance
        chained.append((index, acceptance))
    if write and chained:
        outdated = _resolve_requests_and_refresh(
            [acceptance for _index, acceptance in chained], partner, now
        )
        _seal_batch([acceptance for _index, acceptance in chained])
        # A record a version requiring re-acceptance outdates (an older version chosen, or a
        # date before the cut-off) leaves the customer due, or blocked, or invited: the whole
        # precedence decides, over the records now in.
        for customer in outdated:
            refresh_agreement_status(customer)
    return results  # type: ignore[return-value]  # every slot is filled above


_NOT_CLEANED = [
    "date_agreed",
    "customer",
    "template",
    "partner",
    "recorded_by",
    "public_id",
    "chain_hash",
    "previous_hash",
    "sequence",
    "statement",
    "key_id",
    "signature",
]
_NOT_CLEANED_AFTER_FIRST = [
    *_NOT_CLEANED,
    "method",
    "channel",
    "recorded_at",
    "ip_address",
    "user_agent",
    "bulk_job",
]


# A contact's columns: a caller may clean a batch's contacts with their own form fields.
CONTACT_FIELDS = ("first_name", "last_name", "email", "phone")


def contact_formfield(name: str, **kwargs: Any) -> forms.Field:
    """The record's own form field for one of its contact's columns (CONTACT_FIELDS): its
    validators are the column's. A caller that cleans contacts with these passes
    ``contacts_cleaned`` to ``record_acceptances``. ``kwargs`` go to ``formfield()``."""
    if name not in CONTACT_FIELDS:
        raise ValueError(f"{name} is no contact column.")
    field = Acceptance._meta.get_field(name).formfield(**kwargs)  # type: ignore[union-attr]
    assert field is not None
    return field


def _country_code(customer: Customer) -> str:
    """The customer's country code as stored: reading ``customer.country`` builds a Country
    object (a lookup in the country list) each time, a thousand times a batch."""
    code = customer.__dict__.get("country")
    return code if isinstance(code, str) else str(customer.country.code)


def _latest_contacts(customer_ids: list[int], partner: Partner) -> dict[int, Acceptance]:
    """Each customer's newest record that counts for the partner (what 600061 compares with)."""
    records = (
        Acceptance.objects.filter(
            customer_id__in=customer_ids, partner_id__in=partner.attesting_partners_ids()
        )
        .order_by("customer_id", "-recorded_at", "-id")
        .only("customer_id", "first_name", "last_name", "email", "phone", "date_agreed")
    )
    if connection.vendor == "postgresql":
        records = records.distinct("customer_id")
    latest: dict[int, Acceptance] = {}
    for record in records:
        latest.setdefault(record.customer_id, record)
    return latest


def _resolve_requests_and_refresh(
    acceptances: list[Acceptance], partner: Partner, now: datetime.datetime
) -> list[Customer]:
    """What record_acceptance does around one record, for a batch: open requests to attest
    are resolved, and the statuses of the relationships the records count for become what
    customers.status's precedence makes of a partner attestation on record. Returns the
    customers whose newest record a version requiring re-acceptance outdates: those are
    left to a full refresh once the records are in."""
    newest: dict[int, Acceptance] = {}
    for acceptance in acceptances:
        newest[acceptance.customer.pk] = acceptance
    counted = Relationship.objects.filter(customer_id__in=list(newest)).filter(
        Q(partner_id=partner.pk) | Q(partner__provider_id=partner.pk)
    )
    # The version requiring re-acceptance in force for each relationship's country, read in
    # the same query: a record it outdates leaves the customer to the full precedence.
    requiring = required_version_documents(OuterRef("customer_country"))
    # Read as plain values: a thousand relationships built as models cost more than the query.
    relationships = list(
        counted.annotate(
            required_rank=Subquery(requiring.values("template__version_rank")[:1]),
            required_cutoff=Subquery(requiring.values("template__reacceptance_cutoff")[:1]),
        ).values_list(
            "pk",
            "customer_id",
            "partner_id",
            "agreement_status",
            "invited_until",
            "last_accepted_on",
            "required_rank",
            "required_cutoff",
        )
    )
    outdated: dict[int, Customer] = {}
    for _pk, customer_id, _partner_id, _status, _until, _last, rank, cutoff in relationships:
        record = newest[customer_id]
        if rank is not None and (
            record.template.version_rank < rank
            or (cutoff is not None and record.date_agreed < cutoff)
        ):
            outdated[customer_id] = record.customer
    relationships = [r for r in relationships if r[1] not in outdated]
    if any(r[2] != partner.pk for r in relationships):
        AttestationRequest.objects.filter(
            customer_id__in=list(newest), resolved_at__isnull=True
        ).update(resolved_at=now)
    changed = []
    for pk, customer_id, _partner_id, old_status, old_until, old_last, *_r in relationships:
        agreed = newest[customer_id].date_agreed
        status, invited_until = agreement_status(
            Facts(on_record=AgreementStatus.ATTESTED, last_accepted_on=agreed), now
        )
        if (old_status, old_until, old_last) != (status, invited_until, agreed):
            changed.append((pk, status, invited_until, agreed))
    if changed:
        update_rows(
            Relationship, ["agreement_status", "invited_until", "last_accepted_on"], changed
        )
    return list(outdated.values())


def _insert_batch(acceptances: list[Acceptance]) -> None:
    """Insert the batch's records. On PostgreSQL by COPY, their ids drawn from the table's
    sequence first (one query): an INSERT of a thousand rows spends most of its time quoting
    each value in Python. Elsewhere an ordinary bulk insert."""
    if connection.vendor != "postgresql":
        Acceptance._base_manager.bulk_create(acceptances, batch_size=1000)
        return
    # The connection itself, not its thread-local proxy: each value asks for it.
    database = connections[DEFAULT_DB_ALIAS]
    meta = Acceptance._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    quote = database.ops.quote_name
    with database.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [meta.db_table, len(acceptances)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        columns = ", ".join(quote(field.column) for field in [meta.pk, *fields])
        plan = copy_plan(fields)
        with cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for acceptance, pk in zip(acceptances, ids, strict=True):
                acceptance.pk = pk
                acceptance._state.adding, acceptance._state.db = False, database.alias
                values = [getattr(acceptance, field.attname) for field in fields]
                copy.write_row([pk, *copy_values(plan, values, database)])


def _seal_batch(acceptances: list[Acceptance]) -> None:
    """Hash, sign and append the records under one hold of the chain head, then sign one
    checkpoint of the new head."""
    key = current_signing_key()
    head = lock_evidence_chain()
    last_hash, count = head.last_hash, head.count
    for acceptance in acceptances:
        count += 1
        acceptance.previous_hash, acceptance.sequence = last_hash, count
        statement = canonical_json(acceptance.statement_data())
        acceptance.statement = statement.decode()
        acceptance.chain_hash = last_hash = sha256_hex(statement)
        signature = key.sign(statement)
        acceptance.key_id, acceptance.signature = signature.key_id, signature.value
    # Acceptance.objects refuses bulk writes (one record at a time is the rule for everyone
    # else); this is the one writer that chains a batch, under the same lock.
    _insert_batch(acceptances)
    last = acceptances[-1]
    checkpoint = {
        "type": "mca-evidence-checkpoint",
        "count": count,
        "headHash": last_hash,
        "signedAt": iso_utc(last.recorded_at),
        "unsignedPrefix": head.unsigned_prefix,
    }
    checkpoint_bytes = canonical_json(checkpoint)
    checkpoint_signature = key.sign(checkpoint_bytes)
    EvidenceCheckpoint.objects.create(
        count=count,
        head_hash=last_hash,
        signed_at=last.recorded_at,
        statement=checkpoint_bytes.decode(),
        key_id=checkpoint_signature.key_id,
        signature=checkpoint_signature.value,
    )
    EvidenceChainHead.objects.filter(pk=1).update(last_hash=last_hash, count=count)


# POST /v1/customers/{id}/agreements with an attestationId: the record a signing request
# (an app above this one) brought on record. That app registers how to find it; see
# ``register_attestation_lookup``.
AttestationLookup = Callable[[Customer, Partner, str], Acceptance]
_attestation_lookups: list[AttestationLookup] = []


def register_attestation_lookup(lookup: AttestationLookup) -> AttestationLookup:
    """``lookup(customer, partner, attestation_id)`` returns the acceptance the attestation
    recorded, or raises the domain error that says why there is none (not found, not
    accepted yet). Registered from the signing app's ``AppConfig.ready()``."""
    if lookup not in _attestation_lookups:
        _attestation_lookups.append(lookup)
    return lookup


class AttestationUnknown(ValidationError):
    """No attestation with this id for this customer and partner."""


def acceptance_for_attestation(
    customer: Customer, partner: Partner, attestation_id: str
) -> Acceptance:
    """The record an accepted attestation (signing request) made: nothing is recorded twice."""
    for lookup in _attestation_lookups:
        return lookup(customer, partner, attestation_id)
    raise AttestationUnknown(_("No attestation with this id."), code="unknown")
