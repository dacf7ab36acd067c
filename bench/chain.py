"""The synthetic data set's evidence chain: signed statements, hashes and checkpoints, made in
bulk exactly as ``agreements.services._seal`` makes them one at a time.

Statements are built here as plain dicts (building a model instance per record costs more than
signing it); every CHECK_EVERY-th record is also built through ``Acceptance.statement_data()``
and must agree, so a change to what a record says stops the build instead of leaving a chain
that ``verify_evidence`` would reject.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.management.base import CommandError

from agreements.evidence import iso_utc
from agreements.models import GENESIS_HASH, Acceptance, AgreementTemplate
from agreements.signing import canonical_json, current_signing_key, sha256_hex
from bench.spool import NULL, Spool, esc, stamp
from customers.models import Customer
from portal.models import Partner, User

if TYPE_CHECKING:
    from bench.dataset import Agent, PartnerRow, Template, Tenant

CHECK_EVERY = 5000
CHECKPOINT_TYPE = "mca-evidence-checkpoint"


@dataclass
class Record:
    customer: Tenant
    partner: PartnerRow
    recorded_by: Agent
    template: Template
    public_id: uuid.UUID
    method: str
    channel: str
    first_name: str
    last_name: str
    email: str
    phone: str
    date_agreed: datetime.date
    recorded_at: datetime.datetime
    ip_address: str
    user_agent: str

    @property
    def document_sha256(self) -> str:
        return self.template.documents[str(self.customer.country)]


class Chain:
    """Appends records to the chain in memory and spools them (and a checkpoint each) for COPY."""

    def __init__(self, templates: list[Template], partners: dict[str, PartnerRow], zone) -> None:
        self.templates = sorted(templates, key=lambda template: template.rank)
        self.partners = partners
        self.zone = zone
        self.key = current_signing_key()
        self.head = GENESIS_HASH
        self.count = 0
        self.records = Spool(
            "agreements_acceptance",
            [
                "public_id",
                "method",
                "first_name",
                "last_name",
                "email",
                "phone",
                "date_agreed",
                "channel",
                "recorded_at",
                "ip_address",
                "user_agent",
                "document_sha256",
                "previous_hash",
                "chain_hash",
                "customer_id",
                "partner_id",
                "recorded_by_id",
                "template_id",
                "sequence",
                "statement",
                "key_id",
                "signature",
            ],
        )
        self.checkpoints = Spool(
            "agreements_evidencecheckpoint",
            ["count", "head_hash", "signed_at", "statement", "key_id", "signature"],
        )

    def version_on(self, day: datetime.date) -> Template:
        """The version in force that day: the highest rank published by then."""
        in_force = [template for template in self.templates if template.published_on <= day]
        if not in_force:
            raise CommandError(f"No benchmark template is published on {day}.")
        return in_force[-1]

    def record(
        self,
        *,
        customer: Tenant,
        partner: PartnerRow,
        recorded_by: Agent,
        method: str,
        channel: str,
        first_name: str,
        last_name: str,
        email: str,
        phone: str,
        recorded_at: datetime.datetime,
        agreed_days_before: int,
        ip_address: str,
        user_agent: str,
    ) -> Record:
        """A record that is true to its version: agreed on or after its publication, never
        after the day it was recorded (R1)."""
        recorded_on = recorded_at.astimezone(self.zone).date()
        agreed = max(
            recorded_on - datetime.timedelta(days=agreed_days_before),
            self.templates[0].published_on,
        )
        return Record(
            customer=customer,
            partner=partner,
            recorded_by=recorded_by,
            template=self.version_on(agreed),
            public_id=uuid.uuid4(),
            method=method,
            channel=channel,
            first_name=first_name,
            last_name=last_name,
            email=email,
            phone=phone,
            date_agreed=agreed,
            recorded_at=recorded_at,
            ip_address=ip_address,
            user_agent=user_agent,
        )

    def statement(self, record: Record, sequence: int) -> dict[str, Any]:
        return {
            "type": "mca-acceptance",
            "recordId": str(record.public_id),
            "sequence": sequence,
            "tenantId": str(record.customer.tenant_id),
            "templateId": record.template.uuid,
            "templateVersion": record.template.rank,
            "agreementType": "MicrosoftCustomerAgreement",
            "documentSha256": record.document_sha256,
            "partnerId": record.partner.spec.partner_id,
            "method": record.method,
            "channel": record.channel,
            "firstName": record.first_name,
            "lastName": record.last_name,
            "email": record.email,
            "phoneNumber": record.phone,
            "dateAgreed": record.date_agreed.isoformat(),
            "recordedBy": record.recorded_by.email,
            "recordedAt": iso_utc(record.recorded_at),
            "ipAddress": record.ip_address,
            "userAgent": record.user_agent,
            "previousHash": self.head,
        }

    def append(self, record: Record) -> None:
        sequence = self.count + 1
        data = self.statement(record, sequence)
        if sequence == 1 or sequence % CHECK_EVERY == 0:
            self.check_against_model(record, sequence, data)
        statement = canonical_json(data)
        chain_hash = sha256_hex(statement)
        signature = self.key.sign(statement)
        text = esc(statement.decode())
        self.records.add(
            [
                str(record.public_id),
                record.method,
                esc(record.first_name),
                esc(record.last_name),
                esc(record.email),
                record.phone,
                record.date_agreed.isoformat(),
                record.channel,
                stamp(record.recorded_at),
                record.ip_address or NULL,
                esc(record.user_agent),
                record.document_sha256,
                self.head,
                chain_hash,
                str(record.customer.id),
                str(record.partner.pk),
                str(record.recorded_by.pk),
                str(record.template.pk),
                str(sequence),
                text,
                signature.key_id,
                signature.value,
            ]
        )
        checkpoint = canonical_json(
            {
                "type": CHECKPOINT_TYPE,
                "count": sequence,
                "headHash": chain_hash,
                "signedAt": iso_utc(record.recorded_at),
                "unsignedPrefix": 0,
            }
        )
        checkpoint_signature = self.key.sign(checkpoint)
        self.checkpoints.add(
            [
                str(sequence),
                chain_hash,
                stamp(record.recorded_at),
                esc(checkpoint.decode()),
                checkpoint_signature.key_id,
                checkpoint_signature.value,
            ]
        )
        self.head = chain_hash
        self.count = sequence

    def check_against_model(self, record: Record, sequence: int, data: dict[str, Any]) -> None:
        acceptance = Acceptance(
            public_id=record.public_id,
            customer=Customer(pk=record.customer.id, tenant_id=record.customer.tenant_id),
            template=AgreementTemplate(
                pk=record.template.pk,
                template_id=uuid.UUID(record.template.uuid),
                version_rank=record.template.rank,
                published_on=record.template.published_on,
            ),
            partner=Partner(pk=record.partner.pk, partner_id=record.partner.spec.partner_id),
            recorded_by=User(pk=record.recorded_by.pk, email=record.recorded_by.email),
            method=record.method,
            channel=record.channel,
            first_name=record.first_name,
            last_name=record.last_name,
            email=record.email,
            phone=record.phone,
            date_agreed=record.date_agreed,
            recorded_at=record.recorded_at,
            ip_address=record.ip_address or None,
            user_agent=record.user_agent,
            document_sha256=record.document_sha256,
            previous_hash=self.head,
            sequence=sequence,
        )
        expected = acceptance.statement_data()
        if expected != data:
            differ = sorted(
                key for key in set(expected) | set(data) if expected.get(key) != data.get(key)
            )
            raise CommandError(
                "Acceptance.statement_data() no longer says what bench/chain.py writes "
                f"(record {sequence}: {', '.join(differ)} differ). Update Chain.statement()."
            )

    def finish(self) -> None:
        if self.count == 0:
            raise CommandError("The data set has no acceptance records.")
