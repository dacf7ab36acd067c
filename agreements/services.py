"""Writes that span several models: recording evidence and keeping statuses current."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import (
    Acceptance,
    AcceptanceMethod,
    AgreementTemplate,
    AttestationRequest,
    EvidenceChainHead,
)
from agreements.selectors import document_for, latest_acceptance
from agreements.validators import validate_agreed_on_or_after_publication, validate_not_in_future
from customers.models import AgreementStatus, Customer, Relationship
from customers.status import Facts, refresh_agreement_status
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








@transaction.atomic
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
    """Append one record to the evidence chain (R1, R3, R9) and refresh statuses."""
    validate_not_in_future(date_agreed)
    if method == AcceptanceMethod.PARTNER_ATTESTATION and not partner.may_attest:
        raise AttestationNotAllowed(reseller_cannot_attest_message(partner), code="reseller")
    # Locking the head serialises every append: the chain never forks.
    # get_or_create: a flushed database (transactional tests) has lost the migration's row.
    head = EvidenceChainHead.objects.select_for_update().get_or_create(pk=1)[0]
    # Read under the lock: deleting an unreferenced document takes it too (agreements.models),
    # so the document whose hash is recorded can't vanish in between.
    document = document_for(customer, template)
    validate_agreed_on_or_after_publication(date_agreed, document.template)
    if method == AcceptanceMethod.PARTNER_ATTESTATION:
        latest = latest_acceptance(customer, partner)
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
        recorded_at=timezone.now(),
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:500],
        document_sha256=document.sha256,
        previous_hash=head.last_hash,
    )
    acceptance.full_clean(exclude=["chain_hash", "previous_hash"])
    acceptance.chain_hash = acceptance.compute_hash()
    acceptance.save()
    EvidenceChainHead.objects.filter(pk=1).update(
        last_hash=acceptance.chain_hash, count=head.count + 1
    )

    AttestationRequest.objects.filter(customer=customer, resolved_at__isnull=True).update(
        resolved_at=acceptance.recorded_at
    )
    refresh_agreement_status(customer)
    return acceptance


def acceptance_facts(
    customer: Customer, relationships: list[Relationship], facts: dict[int, Facts]
) -> None:
    """customers.status's fact source: what is on record for each relationship's partner
    (its own records and, for a reseller, its provider's), by the newest that counts."""
    newest_first = list(
        Acceptance.objects.filter(customer=customer)
        .order_by("-recorded_at", "-id")
        .values_list("partner_id", "method")
    )
    for relationship in relationships:
        counted = set(relationship.partner.attesting_partners_ids())
        method = next((m for pid, m in newest_first if pid in counted), None)
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
