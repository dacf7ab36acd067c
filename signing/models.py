"""Signing links (enhanced attestation): a partner asks the customer's signatory to accept the
agreement at a link, without an account. The link's token and the emailed one-time code are
kept only as hashes (R7, R8); what the signatory accepts becomes an ordinary acceptance record
(agreements.services.record_acceptance, method "signatory acceptance")."""

from __future__ import annotations

import datetime
import uuid

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField

from invitations.models import BulkJobStatus, BulkRelationshipJob, BulkRelationshipResult

DEFAULT_EXPIRY_DAYS = 14
MAX_EXPIRY_DAYS = 30


class SigningStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    OPENED = "opened", _("Opened")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


OPEN_STATUSES = (SigningStatus.PENDING, SigningStatus.OPENED)


class SigningRequestQuerySet(models.QuerySet["SigningRequest"]):
    def live(self, now: datetime.datetime | None = None) -> SigningRequestQuerySet:
        """Open and not yet expired: the link still works."""
        return self.filter(status__in=OPEN_STATUSES, expires_at__gt=now or timezone.now())

    def lapsed(self, now: datetime.datetime | None = None) -> SigningRequestQuerySet:
        """Open in the table but past its expiry: expired, whether or not stored so yet."""
        return self.filter(status__in=OPEN_STATUSES, expires_at__lte=now or timezone.now())


class SigningRequest(models.Model):
    public_id = models.UUIDField(
        _("attestation ID"), default=uuid.uuid4, unique=True, editable=False
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="signing_requests",
    )
    partner = models.ForeignKey(
        "portal.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="signing_requests",
    )
    started_by = models.ForeignKey(
        "portal.User", verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email address"))
    phone = PhoneNumberField(_("phone number"), blank=True)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    country = CountryField(_("country"))
    language = models.CharField(_("language"), max_length=10)
    # The document of the version in force when the request was started, in its language: the
    # exact bytes the signatory reads and the record names.
    document = models.ForeignKey(
        "agreements.AgreementDocument",
        verbose_name=_("agreement document"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=SigningStatus.choices, default=SigningStatus.PENDING
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    sent_at = models.DateTimeField(_("link emailed"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    code_verified_at = models.DateTimeField(_("code verified"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    expired_at = models.DateTimeField(_("expired"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    # The one-time code: an HMAC of it, its expiry, the wrong tries against it; and when codes
    # were sent (the rate limit).
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    code_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    code_tries = models.PositiveSmallIntegerField(default=0, editable=False)
    code_sent_at = models.DateTimeField(_("code sent"), null=True, blank=True, editable=False)
    codes_sent = models.PositiveSmallIntegerField(default=0, editable=False)
    codes_window_start = models.DateTimeField(null=True, blank=True, editable=False)
    # After the code: a secret the signing page carries from step to step (no cookie, so the
    # page works framed in a partner's site), kept as a hash.
    proof_hash = models.CharField(max_length=64, blank=True, editable=False)
    acceptance = models.ForeignKey(
        "agreements.Acceptance",
        verbose_name=_("acceptance record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = SigningRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("signing request")
        verbose_name_plural = _("signing requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open request per customer, partner and signatory (the service names it).
            models.UniqueConstraint(
                F("customer"),
                F("partner"),
                Lower("email"),
                condition=Q(status__in=["pending", "opened"]),
                name="signing_request_one_open",
            ),
        ]
        indexes = [
            models.Index(
                fields=["customer", "partner", "-created_at"], name="signing_customer_idx"
            ),
            # The dashboard queue's links to follow up (signing.selectors.needing_attention):
            # a partner's newest, past the accepted and the replaced.
            models.Index(
                fields=["partner", "-created_at"],
                condition=~Q(status="accepted") & Q(replaced_by__isnull=True),
                name="signing_attention_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer} — {self.full_name} ({self.get_status_display()})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_expired(self) -> bool:
        return self.status in OPEN_STATUSES and self.expires_at <= timezone.now()

    @property
    def effective_status(self) -> str:
        """The status as it stands now: an open request past its expiry is expired."""
        return SigningStatus.EXPIRED if self.is_expired else self.status

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES and not self.is_expired

    def get_effective_status_display(self) -> str:
        return str(SigningStatus(self.effective_status).label)

    @property
    def can_revoke(self) -> bool:
        return self.is_open

    @property
    def can_resend(self) -> bool:
        return self.status != SigningStatus.ACCEPTED and self.replaced_by_id is None


class FramingSettings(models.Model):
    """Where a partner may embed its signing pages: the origins its admin agents list. Only
    the signing page sends them as CSP frame-ancestors; every other page refuses framing."""

    partner = models.OneToOneField(
        "portal.Partner",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="signing_framing",
    )
    allowed_origins = models.TextField(
        _("origins allowed to embed the signing page"),
        blank=True,
        help_text=_("One origin a line, such as https://www.example.com."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("signing page framing")
        verbose_name_plural = _("signing page framing")

    def __str__(self) -> str:
        return str(self.partner)

    @property
    def origins(self) -> list[str]:
        return [line.strip() for line in self.allowed_origins.splitlines() if line.strip()]


class SignatorySource(models.TextChoices):
    """Whom a bulk job asks to sign, per customer (the other one when this one has no email)."""

    CONTACT = "contact", _("The customer's primary contact")
    LAST_SIGNATORY = "last_signatory", _("Whoever accepted last for the customer")


# The job's statuses are the invitations' (one base: invitations.models.BulkRelationshipJob).
BulkSigningStatus = BulkJobStatus


class BulkSigningJob(BulkRelationshipJob):
    """Signing links for many customers at once, started and emailed by a background task
    (signing.bulk). The selection is kept, not its customers: the rows picked on the customers
    list or the list's filter, walked in primary-key order from ``cursor``."""

    signatory_source = models.CharField(
        _("signatory"), max_length=20, choices=SignatorySource.choices
    )
    expires_in_days = models.PositiveSmallIntegerField(
        _("link valid for (days)"), default=DEFAULT_EXPIRY_DAYS
    )
    started = models.PositiveIntegerField(_("links sent"), default=0)

    class Meta(BulkRelationshipJob.Meta):
        verbose_name = _("bulk signing job")
        verbose_name_plural = _("bulk signing jobs")
        indexes = [
            models.Index(fields=["partner", "-created_at"], name="bulksign_partner_created"),
            models.Index(fields=["status", "updated_at"], name="bulksign_status_updated"),
        ]

    def __str__(self) -> str:
        return str(self.public_id)


class BulkSigningOutcome(models.TextChoices):
    STARTED = "started", _("Link sent")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


class BulkSigningResult(BulkRelationshipResult):
    """What the job did for one customer (as seen through one relationship)."""

    job = models.ForeignKey(
        BulkSigningJob, verbose_name=_("job"), on_delete=models.CASCADE, related_name="results"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=BulkSigningOutcome.choices)
    signing_request = models.ForeignKey(
        SigningRequest,
        verbose_name=_("signing request"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("bulk signing result")
        verbose_name_plural = _("bulk signing results")
        constraints = [
            models.UniqueConstraint(
                fields=["job", "relationship"], name="bulksign_one_result_per_relationship"
            )
        ]
