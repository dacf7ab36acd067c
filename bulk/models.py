"""Bulk attestation: a durable job and its rows, each with its outcome.

The job's task (bulk.tasks) carries only the job's id; what was done is recorded on the rows
in the same transaction as the evidence they wrote, so a job picks up from its first
unfinished row after a worker dies (portal.background).
"""

from __future__ import annotations

import datetime
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How long a job's result file stays downloadable.
RESULTS_KEPT = datetime.timedelta(days=30)


class Kind(models.TextChoices):
    ATTESTATION = "attestation", _("Bulk attestation")
    # An indirect reseller's file: each row asks its provider to attest (R3).
    REQUEST = "attestationRequest", _("Requests to your provider to attest")


class Mode(models.TextChoices):
    ALL_OR_NOTHING = "allOrNothing", _("All or nothing")
    VALID_ONLY = "validOnly", _("Valid rows only")


class Status(models.TextChoices):
    # A previewed upload the agent hasn't run yet (the web only; never in the API).
    DRAFT = "draft", _("Preview")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


FINISHED = (Status.COMPLETED, Status.FAILED, Status.CANCELLED)


class Source(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")


class Outcome(models.TextChoices):
    PENDING = "", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    NOT_ATTEMPTED = "notAttempted", _("Not attempted")
    # A request job's row with nothing to ask: on record already, or asked already.
    SKIPPED = "skipped", _("Skipped")


class BulkJob(models.Model):
    public_id = models.UUIDField(_("job ID"), default=uuid.uuid4, unique=True, editable=False)
    partner = models.ForeignKey(
        "portal.Partner", verbose_name=_("partner"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        "portal.User", verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    filename = models.CharField(_("file"), max_length=255, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.ATTESTATION
    )
    mode = models.CharField(
        _("mode"), max_length=20, choices=Mode.choices, default=Mode.ALL_OR_NOTHING
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # The language the agent worked in: row messages are written in it.
    language = models.CharField(_("language"), max_length=10, default="en")
    total = models.PositiveIntegerField(_("rows"), default=0)
    # Rows the preview (or the API's check) found valid.
    valid = models.PositiveIntegerField(_("valid rows"), default=0)
    # A request job's rows the preview found nothing to ask for (skipped from the start).
    to_skip = models.PositiveIntegerField(_("rows to skip"), default=0)
    succeeded = models.PositiveIntegerField(_("succeeded"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    # All or nothing: every row passed the check at the job's start, so rows are written.
    checked = models.BooleanField(default=False)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    heartbeat = models.DateTimeField(_("last progress"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulk job")
        verbose_name_plural = _("bulk jobs")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["partner", "-created_at"], name="bulkjob_partner_idx"),
            models.Index(fields=["status", "heartbeat"], name="bulkjob_status_idx"),
        ]

    def __str__(self) -> str:
        return str(self.public_id)

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def is_request(self) -> bool:
        return self.kind == Kind.REQUEST

    @property
    def processed(self) -> int:
        return self.succeeded + self.failed + self.skipped

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        return int(100 * self.processed / self.total) if self.total else 0

    @property
    def results_available(self) -> bool:
        return self.is_finished and timezone.now() < self.created_at + RESULTS_KEPT


class BulkRow(models.Model):
    """One line of the file (or item of the API call), as given, and what became of it."""

    job = models.ForeignKey(BulkJob, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(_("row"))
    tenant_id = models.CharField(max_length=100, blank=True)
    domain = models.CharField(max_length=255, blank=True)
    first_name = models.CharField(max_length=255, blank=True)
    last_name = models.CharField(max_length=255, blank=True)
    email = models.CharField(max_length=320, blank=True)
    phone = models.CharField(max_length=100, blank=True)
    date_agreed = models.CharField(max_length=100, blank=True)
    template_id = models.CharField(max_length=100, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING, blank=True
    )
    acceptance = models.ForeignKey(
        "agreements.Acceptance",
        verbose_name=_("record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    code = models.PositiveIntegerField(_("error code"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    # The customer the row named, as its check found it (none if it named none in the agent's
    # scope): a later row naming the same customer is a duplicate, whichever batch it falls
    # in, looked up here rather than remembered (a job's memory doesn't grow with its rows).
    # Only a reference: no constraint to check a row at a time.
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("bulk row")
        verbose_name_plural = _("bulk rows")
        ordering = ["job", "number"]
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="bulkrow_unique_number"),
        ]
        indexes = [
            models.Index(fields=["job", "outcome", "number"], name="bulkrow_outcome_idx"),
            models.Index(fields=["job", "code", "number"], name="bulkrow_code_idx"),
            models.Index(fields=["job", "customer", "number"], name="bulkrow_customer_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.number}"

    INPUT_FIELDS = (
        "tenant_id",
        "domain",
        "first_name",
        "last_name",
        "email",
        "phone",
        "date_agreed",
        "template_id",
    )
