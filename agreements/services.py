"""Writes that span several models: recording evidence and keeping statuses current."""

from __future__ import annotations

import datetime
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
)
from agreements.selectors import document_for
from agreements.signing import canonical_json, current_signing_key, sha256_hex
from agreements.validators import validate_agreed_on_or_after_publication, validate_not_in_future
from customers.locks import lock_customer, retry_on_conflict
from customers.models import AgreementStatus, Customer, Relationship
from customers.status import Facts, customer_relationships, refresh_agreement_status
from portal.models import Partner, User


class DuplicateAttestation(ValidationError):
    """The same contact and date as the latest record."""


class AttestationNotAllowed(ValidationError):
    """R3: indirect resellers never attest."""


@dataclass(frozen=True)
class Contact:
    first_name: str
    last_name: str
    email: str
    phone: object = ""


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
) -> Acceptance:
    """Append one signed record to the evidence chain (R1, R3, R9) and refresh statuses.

    Locks in customers.locks' order. Everything that can be checked or written ahead is done
    under the customer's lock; the chain head is held only to hash, sign and insert.
    """
    validate_not_in_future(date_agreed)
    if method == AcceptanceMethod.PARTNER_ATTESTATION and not partner.may_attest:
        raise AttestationNotAllowed(reseller_cannot_attest_message(partner), code="reseller")
    lock_customer(customer)
    if method == AcceptanceMethod.PARTNER_ATTESTATION:
        # Only what the comparison reads: no joins, no evidence columns.
        latest = (
            Acceptance.objects.filter(customer=customer)
            .for_partner(partner)
            .order_by("-recorded_at", "-id")
            .only("first_name", "last_name", "email", "phone", "date_agreed")
            .first()
        )
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
    document = document_for(customer, template)
    if not _keep_document(document):
        # Deleted a moment ago (only a document nothing cites can be): look again.
        document = document_for(customer, template)
        _keep_document(document)
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
    relationships = customer_relationships(customer)
    if any(relationship.partner.provider_id for relationship in relationships):
        # Only a reseller asks its provider to attest (R3): without one, nothing is open.
        AttestationRequest.objects.filter(customer=customer, resolved_at__isnull=True).update(
            resolved_at=now
        )
    # Statuses as they will be once the record is in, written before the chain is locked.
    token = _recording.set((partner.pk, method, date_agreed))
    try:
        refresh_agreement_status(customer, relationships)
    finally:
        _recording.reset(token)

    head = lock_evidence_chain()
    acceptance.previous_hash = head.last_hash
    acceptance.sequence = head.count + 1
    _seal(acceptance, head)
    return acceptance


# The record being written, as (partner id, method, date agreed), for acceptance_facts while
# the statuses are refreshed ahead of the append.
_recording: ContextVar[tuple[int, str, datetime.date] | None] = ContextVar(
    "recording", default=None
)


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


def _seal(acceptance: Acceptance, head: EvidenceChainHead) -> None:
    """Hash, sign and append the record, then sign a checkpoint of the new head."""
    key = current_signing_key()
    statement = canonical_json(acceptance.statement_data())
    acceptance.statement = statement.decode()
    acceptance.chain_hash = sha256_hex(statement)
    signature = key.sign(statement)
    acceptance.key_id, acceptance.signature = signature.key_id, signature.value
    acceptance.save()

    checkpoint = {
        "type": "mca-evidence-checkpoint",
        "count": acceptance.sequence,
        "headHash": acceptance.chain_hash,
        "signedAt": iso_utc(acceptance.recorded_at),
        "unsignedPrefix": head.unsigned_prefix,
    }
    checkpoint_bytes = canonical_json(checkpoint)
    checkpoint_signature = key.sign(checkpoint_bytes)
    EvidenceCheckpoint.objects.create(
        count=acceptance.sequence,
        head_hash=acceptance.chain_hash,
        signed_at=acceptance.recorded_at,
        statement=checkpoint_bytes.decode(),
        key_id=checkpoint_signature.key_id,
        signature=checkpoint_signature.value,
    )
    EvidenceChainHead.objects.filter(pk=1).update(
        last_hash=acceptance.chain_hash, count=acceptance.sequence
    )


def acceptance_facts(
    customer: Customer, relationships: list[Relationship], facts: dict[int, Facts]
) -> None:
    """customers.status's fact source: what is on record for each relationship's partner
    (its own records and, for a reseller, its provider's), by the newest that counts."""
    pending = _recording.get()
    counted = {r.pk: set(r.partner.attesting_partners_ids()) for r in relationships}
    newest_first: list[tuple[int, str, datetime.date]] = []
    if pending is None or any(pending[0] not in ids for ids in counted.values()):
        newest_first = list(
            Acceptance.objects.filter(customer=customer)
            .order_by("-recorded_at", "-id")
            .values_list("partner_id", "method", "date_agreed")
        )
    # The record being written is the newest; where it counts, nothing older is needed.
    if pending is not None:
        newest_first.insert(0, pending)
    for relationship in relationships:
        method, agreed = next(
            ((m, agreed) for pid, m, agreed in newest_first if pid in counted[relationship.pk]),
            (None, None),
        )
        facts[relationship.pk].last_accepted_on = agreed
        if method == AcceptanceMethod.DIRECT_ACCEPTANCE:
            facts[relationship.pk].on_record = AgreementStatus.ACCEPTED
        elif method is not None:
            facts[relationship.pk].on_record = AgreementStatus.ATTESTED


def request_attestation(
    *, customer: Customer, reseller: Partner, requested_by: User
) -> AttestationRequest:
    """R3: put one open request in the provider's queue; asking twice keeps the first.
    Once an acceptance counts for the reseller (its provider's or the customer's own),
    there is nothing left to ask."""
    if Acceptance.objects.filter(customer=customer).for_partner(reseller).exists():
        raise ValidationError(
            _(
                "Acceptance of the Microsoft Customer Agreement is already on record for this "
                "customer: there is nothing to ask your provider."
            ),
            code="already_on_record",
        )
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
