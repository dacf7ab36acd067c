"""Agreement templates and documents, and the append-only acceptance evidence."""

from __future__ import annotations

import datetime
import hashlib
import json
import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField

from agreements.evidence import iso_utc
from agreements.validators import portal_today, validate_not_in_future
from portal.dates import message_date

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

GENESIS_HASH = "0" * 64


class AgreementType(models.TextChoices):
    MCA = "MicrosoftCustomerAgreement", _("Microsoft Customer Agreement")


class PublishedAgreementError(ValidationError):
    """A published template or document would change, or lose evidence pointing at it (R9)."""


DOCUMENT_CHANGED = _(
    "A published agreement document can't be changed. To publish different text, "
    "add a new template version with its own documents."
)
DOCUMENT_IN_EVIDENCE = _(
    "This agreement document can't be deleted: acceptance records point to its bytes."
)
TEMPLATE_CHANGED = _(
    "The version rank, agreement type and publication date of a template can't be changed "
    "once it exists."
)
TEMPLATE_IN_EVIDENCE = _("This agreement template can't be deleted: acceptance records cite it.")


def lock_evidence_chain() -> EvidenceChainHead:
    """Lock the chain head: the last step of customers.locks' order. Holding it serialises
    appends (the chain never forks) and waits for any append in progress."""
    table = EvidenceChainHead._meta.db_table
    lock = " FOR UPDATE" if connection.vendor == "postgresql" else ""
    # Written out, not built by the ORM: every append runs it, and waits here for the last.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_hash, count, unsigned_prefix FROM {table} WHERE id = 1{lock}")
        row = cursor.fetchone()
    if row is None:
        # A flushed database (transactional tests) has lost the migration's row.
        return EvidenceChainHead.objects.select_for_update().get_or_create(pk=1)[0]
    return EvidenceChainHead.from_db(
        connection.alias, ["id", "last_hash", "count", "unsigned_prefix"], [1, *row]
    )


class FixedFieldsQuerySet(models.QuerySet):
    """Refuses bulk writes to the fields a published row keeps (its model's FIXED_FIELDS)."""

    changed_message: StrOrPromise = ""
    changed_code = ""

    def _refuse_fixed(self, fields) -> None:
        if set(fields) & set(self.model.FIXED_FIELDS):
            raise PublishedAgreementError(self.changed_message, code=self.changed_code)

    def update(self, **kwargs):
        self._refuse_fixed(kwargs)
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        self._refuse_fixed(fields)
        return super().bulk_update(objs, fields, batch_size=batch_size)


class AgreementTemplateQuerySet(FixedFieldsQuerySet):
    changed_message = TEMPLATE_CHANGED
    changed_code = "template_changed"

    def published(self, as_of: datetime.date | None = None) -> AgreementTemplateQuerySet:
        """The versions that count on ``as_of`` (today in the portal's time zone by default):
        a version scheduled for a later date is not offered, listed or recorded before it."""
        return self.filter(published_on__lte=as_of or portal_today())


class AgreementTemplate(models.Model):
    """One published version of an agreement.

    Its identity (ID, type, version rank, publication date) is fixed once it exists: the rank
    decides which document customers are shown and names the file they download. It counts
    only from its publication date (``published()``), so an operator may schedule a version
    ahead; ranks and publication dates rise together, so the version in force on any date is
    the highest rank published by then. A template that acceptance records cite can't be
    deleted (the database's PROTECT says the same, less clearly).
    """

    FIXED_FIELDS = ("template_id", "agreement_type", "version_rank", "published_on")

    template_id = models.UUIDField(
        _("template ID"), default=uuid.uuid4, unique=True, editable=False
    )
    agreement_type = models.CharField(
        _("agreement type"), max_length=40, choices=AgreementType.choices, default=AgreementType.MCA
    )
    version_rank = models.PositiveIntegerField(_("version rank"))
    title = models.CharField(_("title"), max_length=200)
    published_on = models.DateField(_("published"), default=timezone.localdate)
    # A version that customers who accepted an older one must accept again (the MCA refresh):
    # from its publication their status is "re-acceptance due" (agreements.reacceptance), and
    # past the deadline the order gate counts only acceptances of it (orders.services).
    requires_reacceptance = models.BooleanField(_("requires re-acceptance"), default=False)
    reacceptance_deadline = models.DateField(
        _("re-acceptance deadline"),
        null=True,
        blank=True,
        help_text=_(
            "The last day an older acceptance still lets the customer order. Leave it empty "
            "for 90 days after publication."
        ),
    )
    reacceptance_cutoff = models.DateField(
        _("re-acceptance cut-off"),
        null=True,
        blank=True,
        help_text=_(
            "Optional: acceptances dated before this day must be renewed even if they are of "
            "this version or a newer one."
        ),
    )

    objects = AgreementTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement template")
        verbose_name_plural = _("agreement templates")
        ordering = ["agreement_type", "-version_rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement_type", "version_rank"], name="template_unique_type_rank"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version_rank})"

    def save(self, *args, **kwargs) -> None:
        stored = type(self)._base_manager.filter(pk=self.pk).first() if self.pk else None
        if stored is not None and any(
            getattr(stored, name) != getattr(self, name) for name in self.FIXED_FIELDS
        ):
            raise PublishedAgreementError(TEMPLATE_CHANGED, code="template_changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            lock_evidence_chain()
            if self.acceptances.exists():
                raise PublishedAgreementError(TEMPLATE_IN_EVIDENCE, code="template_in_evidence")
            return super().delete(*args, **kwargs)

    def clean(self) -> None:
        if self.version_rank is None or self.published_on is None:
            return
        self._clean_reacceptance()
        others = (
            type(self)._base_manager.filter(agreement_type=self.agreement_type).exclude(pk=self.pk)
        )
        earlier = others.filter(
            version_rank__lt=self.version_rank, published_on__gt=self.published_on
        )
        later = others.filter(
            version_rank__gt=self.version_rank, published_on__lt=self.published_on
        )
        clash = earlier.order_by("-published_on").first() or later.order_by("published_on").first()
        if clash is not None:
            raise ValidationError(
                {
                    "published_on": ValidationError(
                        _(
                            "Version %(rank)s is published on %(published)s: a higher version "
                            "can't be published before a lower one."
                        ),
                        code="publication_order",
                        params={
                            "rank": clash.version_rank,
                            "published": message_date(clash.published_on),
                        },
                    )
                }
            )

    def _clean_reacceptance(self) -> None:
        if not self.requires_reacceptance:
            errors = {}
            if self.reacceptance_deadline is not None:
                errors["reacceptance_deadline"] = _(
                    "A deadline applies only to a version that requires re-acceptance."
                )
            if self.reacceptance_cutoff is not None:
                errors["reacceptance_cutoff"] = _(
                    "A cut-off applies only to a version that requires re-acceptance."
                )
            if errors:
                raise ValidationError(errors, code="not_requiring")
            return
        if self.reacceptance_deadline is None:
            self.reacceptance_deadline = self.published_on + REACCEPTANCE_PERIOD
        if self.reacceptance_deadline <= self.published_on:
            raise ValidationError(
                {
                    "reacceptance_deadline": ValidationError(
                        _("The deadline must be after the publication date (%(published)s)."),
                        code="deadline_before_publication",
                        params={"published": message_date(self.published_on)},
                    )
                }
            )
        if self.reacceptance_cutoff is not None and (
            self.reacceptance_cutoff > self.reacceptance_deadline
        ):
            raise ValidationError(
                {
                    "reacceptance_cutoff": ValidationError(
                        _("The cut-off can't be after the deadline (%(deadline)s)."),
                        code="cutoff_after_deadline",
                        params={"deadline": message_date(self.reacceptance_deadline)},
                    )
                }
            )

    def outdates(self, version_rank: int, date_agreed: datetime.date) -> bool:
        """Whether an acceptance of ``version_rank`` dated ``date_agreed`` must be renewed
        because of this version (which requires re-acceptance): it is of an older version, or
        dated before the cut-off."""
        if version_rank < self.version_rank:
            return True
        return self.reacceptance_cutoff is not None and date_agreed < self.reacceptance_cutoff


# The deadline when the operator gives none: 90 days after publication.
REACCEPTANCE_PERIOD = datetime.timedelta(days=90)


def document_upload_to(instance: AgreementDocument, filename: str) -> str:
    folder = instance.template.template_id
    return f"agreements/{folder}/{instance.country}-{instance.language}-{filename}"


class AgreementDocumentQuerySet(FixedFieldsQuerySet):
    changed_message = DOCUMENT_CHANGED
    changed_code = "document_changed"

    def delete(self):
        with transaction.atomic():
            # Writers hold a key-share lock on the document they record (services): this waits
            # for them, and they for it; then the check below sees what they wrote.
            list(self.select_for_update().values_list("pk", flat=True))
            if Acceptance.objects.filter(document_sha256__in=self.values("sha256")).exists():
                raise PublishedAgreementError(DOCUMENT_IN_EVIDENCE, code="document_in_evidence")
            return super().delete()

    def published(self, as_of: datetime.date | None = None) -> AgreementDocumentQuerySet:
        """Documents of the versions that count on ``as_of`` (AgreementTemplateQuerySet.published)."""
        return self.filter(template__published_on__lte=as_of or portal_today())

    def latest_for(
        self,
        country: str,
        agreement_type: str = AgreementType.MCA,
        *,
        as_of: datetime.date | None = None,
    ) -> AgreementDocument | None:
        """The highest version rank published by ``as_of`` (default today) that has a document
        for this country: the latest version then, and the one in force on that date."""
        return (
            self.published(as_of)
            .filter(country=country, template__agreement_type=agreement_type)
            .select_related("template")
            .order_by("-template__version_rank", "language")
            .first()
        )


class AgreementDocument(models.Model):
    """The document of a template for one country and language.

    Final the moment it exists (latest_for serves it from its template's publication date, a
    scheduled version's document is read in the admin before then), so its bytes and what they
    are for never change afterwards: acceptance records keep only the template and the SHA-256
    of the bytes the customer was shown (R9). A new text is published as a new document, in a
    new template version where needed. A document whose SHA-256 any acceptance holds can't be
    deleted; the admin goes further and never deletes documents, since a customer may be reading
    one at that moment and deleting it silently falls back to an older version.
    """

    FIXED_FIELDS = ("template", "template_id", "country", "language", "file", "sha256")

    template = models.ForeignKey(
        AgreementTemplate,
        verbose_name=_("template"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    country = CountryField(_("country"))
    language = models.CharField(
        _("language"), max_length=10, help_text=_("For example cs-CZ or en-US.")
    )
    file = models.FileField(_("file"), upload_to=document_upload_to)
    content_type = models.CharField(_("content type"), max_length=100, default="application/pdf")
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    objects = AgreementDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")
        ordering = ["template", "country", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "country", "language"],
                name="document_unique_template_country_lang",
            ),
        ]
        indexes = [models.Index(fields=["country", "template"], name="document_country_idx")]

    def __str__(self) -> str:
        return f"{self.template} — {self.country.code} {self.language}"

    def save(self, *args, **kwargs) -> None:
        stored = type(self)._base_manager.filter(pk=self.pk).first() if self.pk else None
        if stored is None:
            # The digest is always of the bytes actually stored, never supplied by hand.
            digest = hashlib.sha256()
            self.file.open("rb")
            for chunk in self.file.chunks():
                digest.update(chunk)
            self.file.seek(0)
            self.sha256 = digest.hexdigest()
        elif (
            not self.file._committed
            or self.file.name != stored.file.name
            or self.template_id != stored.template_id
            or str(self.country) != str(stored.country)
            or self.language != stored.language
            or self.sha256 != stored.sha256
        ):
            raise PublishedAgreementError(DOCUMENT_CHANGED, code="document_changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            # Waits for writers recording this document (see the queryset's delete).
            list(type(self)._base_manager.select_for_update().filter(pk=self.pk).values("pk"))
            if Acceptance.objects.filter(document_sha256=self.sha256).exists():
                raise PublishedAgreementError(DOCUMENT_IN_EVIDENCE, code="document_in_evidence")
            return super().delete(*args, **kwargs)

    @property
    def filename(self) -> str:
        extension = self.file.name.rsplit(".", 1)[-1] if "." in self.file.name else "bin"
        return (
            f"microsoft-customer-agreement-v{self.template.version_rank}-"
            f"{self.country.code}-{self.language}.{extension}"
        )

    @property
    def is_text(self) -> bool:
        return self.content_type.startswith("text/")

    def read_text(self) -> str:
        with self.file.open("rb") as handle:
            return handle.read().decode("utf-8", errors="replace")


class AcceptanceMethod(models.TextChoices):
    PARTNER_ATTESTATION = "partner_attestation", _("Partner attestation")
    DIRECT_ACCEPTANCE = "direct_acceptance", _("Direct acceptance")
    # The customer's signatory accepted at a partner's signing link (enhanced attestation):
    # the partner's acceptance on record, with the signatory's own evidence.
    SIGNATORY_ACCEPTANCE = "signatory_acceptance", _("Accepted by signatory")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    ORDER_PROMPT = "order_prompt", _("Order prompt")
    BULK = "bulk", _("Bulk import")
    INVITATION = "invitation", _("Invitation")
    SIGNING_LINK = "signing_link", _("Signing link")


class EvidenceError(Exception):
    """Raised on any attempt to change or remove acceptance evidence."""


class AcceptanceQuerySet(models.QuerySet["Acceptance"]):
    def update(self, **kwargs):
        raise EvidenceError("Acceptance records are append-only; they cannot be updated.")

    def delete(self):
        raise EvidenceError("Acceptance records are append-only; they cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise EvidenceError("Acceptance records are append-only; they cannot be updated.")

    def bulk_create(self, objs, *args, **kwargs):
        raise EvidenceError(
            "Acceptance records are chained one at a time; use services.record_acceptance."
        )

    def for_partner(self, partner) -> AcceptanceQuerySet:
        """Records that count for this partner: its own and, for a reseller, its provider's."""
        return self.filter(partner_id__in=partner.attesting_partners_ids())

    def history(self, customer, partner) -> AcceptanceQuerySet:
        """A customer's records that count for this partner, newest first (A3, API, gate)."""
        return (
            self.filter(customer=customer)
            .for_partner(partner)
            .select_related("template", "recorded_by", "partner")
            .order_by("-recorded_at", "-id")
        )


class Acceptance(models.Model):
    """Append-only, hash-chained evidence that a customer accepted an agreement."""

    public_id = models.UUIDField(_("record ID"), default=uuid.uuid4, unique=True, editable=False)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="acceptances",
        # acceptance_history_idx begins with the customer: a second index would only cost
        # each append one more page to write.
        db_index=False,
    )
    template = models.ForeignKey(
        AgreementTemplate,
        verbose_name=_("template"),
        on_delete=models.PROTECT,
        related_name="acceptances",
    )
    method = models.CharField(_("method"), max_length=20, choices=AcceptanceMethod.choices)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email address"))
    phone = PhoneNumberField(_("phone number"), blank=True)
    date_agreed = models.DateField(_("date accepted"), validators=[validate_not_in_future])
    partner = models.ForeignKey(
        "portal.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="acceptances",
    )
    recorded_by = models.ForeignKey(
        "portal.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)
    document_sha256 = models.CharField(_("document SHA-256"), max_length=64)
    # A signatory acceptance's own evidence, as its statement names it (null for every other
    # method): the signing request it answers (the API's attestationId), when the signatory
    # proved control of the email, the job title confirmed and the full name typed as
    # signature. One column (see signatory_statement), so a batch insert stays wide enough.
    signatory = models.JSONField(_("signatory evidence"), null=True, blank=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    # Unique by a constraint (acceptance_chain_hash_unique), not unique=True: that would add a
    # second index for LIKE on PostgreSQL, which nothing asks of a hash.
    chain_hash = models.CharField(_("chain hash"), max_length=64)
    # The chain position (1 = first record) and the signed statement: the exact bytes whose
    # SHA-256 is chain_hash, naming public identifiers only. Records written before signing
    # began keep an empty statement and are hashed by legacy_payload().
    sequence = models.PositiveBigIntegerField(_("chain position"), unique=True)
    statement = models.TextField(_("signed statement"), blank=True)
    key_id = models.CharField(_("signing key ID"), max_length=32, blank=True)
    signature = models.CharField(_("signature"), max_length=128, blank=True)
    # The bulk job that wrote it (channel "bulk"): that job's public id, signed in the
    # statement as bulkJobId. An id, not a key: the bulk app sits above this one.
    bulk_job = models.UUIDField(_("bulk job"), null=True, blank=True, db_index=True)

    objects = AcceptanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("acceptance")
        verbose_name_plural = _("acceptances")
        ordering = ["-recorded_at", "-id"]
        get_latest_by = ["recorded_at", "id"]
        constraints = [
            # One successor per record: two writers can never fork the chain.
            models.UniqueConstraint(fields=["previous_hash"], name="acceptance_chain_linear"),
            models.UniqueConstraint(fields=["chain_hash"], name="acceptance_chain_hash_unique"),
            models.CheckConstraint(
                condition=Q(date_agreed__isnull=False), name="acceptance_has_date"
            ),
        ]
        indexes = [
            # History order (newest first, ties by id) straight from the index, with or
            # without the planner's statistics.
            models.Index(
                fields=["customer", "partner", "-recorded_at", "-id"],
                name="acceptance_history_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer} — {self.get_method_display()} {self.date_agreed}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None or not self._state.adding:
            raise EvidenceError("Acceptance records are append-only; they cannot be updated.")
        if not self.chain_hash:
            raise EvidenceError("Acceptance records are written by services.record_acceptance.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise EvidenceError("Acceptance records are append-only; they cannot be deleted.")

    @property
    def contact_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def statement_data(self) -> dict[str, object]:
        """What a record says, by public identifiers: this is hashed into the chain, signed,
        and handed to the partner as the receipt's record."""
        recorded_at = self.recorded_at.astimezone(datetime.UTC)
        data: dict[str, object] = {
            "type": "mca-acceptance",
            "recordId": str(self.public_id),
            "sequence": self.sequence,
            "tenantId": str(self.customer.tenant_id),
            "templateId": str(self.template.template_id),
            "templateVersion": self.template.version_rank,
            "agreementType": self.template.agreement_type,
            "documentSha256": self.document_sha256,
            "partnerId": self.partner.partner_id,
            "method": self.method,
            "channel": self.channel,
            "firstName": self.first_name,
            "lastName": self.last_name,
            "email": self.email,
            "phoneNumber": str(self.phone) if self.phone else "",
            "dateAgreed": self.date_agreed.isoformat(),
            "recordedBy": self.recorded_by.email,
            "recordedAt": iso_utc(recorded_at),
            "ipAddress": self.ip_address or "",
            "userAgent": self.user_agent,
            "previousHash": self.previous_hash,
        }
        if self.bulk_job is not None:
            # Only where there is one: statements signed before bulk jobs stay byte-identical.
            data["bulkJobId"] = str(self.bulk_job)
        if self.signatory is not None:
            # Only a signatory acceptance has it: other statements stay byte-identical.
            data["signatory"] = self.signatory
        return data

    @property
    def is_signed(self) -> bool:
        return bool(self.statement)

    def legacy_payload(self) -> bytes:
        """What the chain hash covered before records were signed (internal row ids)."""
        recorded_at = self.recorded_at.astimezone(datetime.UTC)
        data = {
            "publicId": str(self.public_id),
            "customer": self.customer_id,
            "template": self.template_id,
            "method": self.method,
            "firstName": self.first_name,
            "lastName": self.last_name,
            "email": self.email,
            "phone": str(self.phone) if self.phone else "",
            "dateAgreed": self.date_agreed.isoformat(),
            "partner": self.partner_id,
            "recordedBy": self.recorded_by_id,
            "channel": self.channel,
            "recordedAt": iso_utc(recorded_at),
            "ipAddress": self.ip_address or "",
            "userAgent": self.user_agent,
            "documentSha256": self.document_sha256,
            "previousHash": self.previous_hash,
        }
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

    def compute_hash(self) -> str:
        """The chain hash: of the signed statement, or for a legacy record its payload."""
        payload = self.statement.encode() if self.statement else self.legacy_payload()
        return hashlib.sha256(payload).hexdigest()

    def same_contact_and_date(
        self, *, first_name: str, last_name: str, email: str, phone, date_agreed
    ) -> bool:
        return (
            self.first_name.strip().lower() == first_name.strip().lower()
            and self.last_name.strip().lower() == last_name.strip().lower()
            and self.email.strip().lower() == email.strip().lower()
            and (str(self.phone) if self.phone else "") == (str(phone) if phone else "")
            and self.date_agreed == date_agreed
        )


def signatory_statement(
    *,
    attestation_id: str,
    code_verified_at: datetime.datetime | None,
    job_title: str,
    typed_signature: str,
) -> dict[str, str]:
    """A signatory acceptance's own evidence (``Acceptance.signatory``, signed in its statement
    as "signatory")."""
    return {
        "attestationId": attestation_id,
        "codeVerifiedAt": iso_utc(code_verified_at.astimezone(datetime.UTC))
        if code_verified_at
        else "",
        "jobTitle": job_title,
        "typedSignature": typed_signature,
    }


class EvidenceChainHead(models.Model):
    """One row: the newest chain hash. Locking it serialises appends to the chain."""

    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    count = models.PositiveBigIntegerField(default=0)
    # How many records predate signing (set once by the migration that introduced it). Every
    # signed checkpoint repeats it, so records can't later be passed off as unsigned legacy.
    unsigned_prefix = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("evidence chain head")
        verbose_name_plural = _("evidence chain head")

    def __str__(self) -> str:
        return self.last_hash

    def clean(self) -> None:
        if self.pk not in (None, 1):
            raise ValidationError("There is one chain head.")


class CheckpointQuerySet(models.QuerySet["EvidenceCheckpoint"]):
    def update(self, **kwargs):
        raise EvidenceError("Checkpoints are append-only; they cannot be updated.")

    def delete(self):
        raise EvidenceError("Checkpoints are append-only; they cannot be deleted.")


class EvidenceCheckpoint(models.Model):
    """A signed statement of the chain head (count, head hash, time), written with every
    record: a copy kept anywhere else catches a later rewrite or truncation of the chain."""

    count = models.PositiveBigIntegerField(_("records"), unique=True)
    head_hash = models.CharField(_("head hash"), max_length=64)
    signed_at = models.DateTimeField(_("signed"))
    statement = models.TextField(_("signed statement"))
    key_id = models.CharField(_("signing key ID"), max_length=32)
    signature = models.CharField(_("signature"), max_length=128)

    objects = CheckpointQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence checkpoint")
        verbose_name_plural = _("evidence checkpoints")
        ordering = ["-count"]

    def __str__(self) -> str:
        return f"{self.count}: {self.head_hash}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise EvidenceError("Checkpoints are append-only; they cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise EvidenceError("Checkpoints are append-only; they cannot be deleted.")

    def as_json(self) -> dict[str, object]:
        return {
            "statement": json.loads(self.statement),
            "signature": {"algorithm": "Ed25519", "keyId": self.key_id, "value": self.signature},
        }


class AttestationRequest(models.Model):
    """An indirect reseller asks its provider to attest for one customer (R3)."""

    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    reseller = models.ForeignKey(
        "portal.Partner", verbose_name=_("reseller"), on_delete=models.PROTECT, related_name="+"
    )
    provider = models.ForeignKey(
        "portal.Partner",
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="attestation_requests",
    )
    requested_by = models.ForeignKey(
        "portal.User", verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("attestation request")
        verbose_name_plural = _("attestation requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "reseller"],
                condition=Q(resolved_at__isnull=True),
                name="attestation_request_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reseller} → {self.provider}: {self.customer}"


class SweepStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")


class ReacceptanceSweep(models.Model):
    """The durable row of one walk over the relationships a version requiring re-acceptance
    may change (agreements.reacceptance): from ``run_on`` (the version's publication, or the
    day its settings were saved) it refreshes their stored status in batches, remembering how
    far it got (``cursor``, the last relationship id done) with each batch's writes."""

    template = models.ForeignKey(
        AgreementTemplate,
        verbose_name=_("template"),
        on_delete=models.CASCADE,
        related_name="sweeps",
    )
    run_on = models.DateField(_("runs from"))
    status = models.CharField(
        _("status"), max_length=10, choices=SweepStatus.choices, default=SweepStatus.PENDING
    )
    cursor = models.PositiveBigIntegerField(_("last relationship done"), default=0)
    changed = models.PositiveIntegerField(_("statuses changed"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    touched_at = models.DateTimeField(_("last progress"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("re-acceptance status refresh")
        verbose_name_plural = _("re-acceptance status refreshes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "run_on"], name="sweep_status_run_on_idx")]

    def __str__(self) -> str:
        return f"{self.template} {self.run_on} {self.status}"
