"""Invitations that let a customer accept the agreement (and a relationship) itself."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import Relationship

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class InvitationKind(models.TextChoices):
    NEW_CUSTOMER = "new_customer", _("Accept the agreement as a new customer")
    RESELLER_RELATIONSHIP = "reseller_relationship", _("Reseller relationship and agreement")
    EXISTING_CUSTOMER = "existing_customer", _("Accept the agreement as an existing customer")


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    OPENED = "opened", _("Opened")
    ACCEPTED = "accepted", _("Accepted")
    BLOCKED = "blocked", _("Blocked — partner must attest")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")
    # The customer admin said no in the admin center (with an optional reason).
    DECLINED = "declined", _("Declined by the customer")


OPEN_STATUSES = (InvitationStatus.PENDING, InvitationStatus.OPENED)

# At most this many copies (CC) of one invitation email.
MAX_COPIES = 5

# The customer's agreement statuses (customers.models.AgreementStatus) with nothing left to ask.
ON_RECORD = ("attested", "accepted")


def still_called_for(
    kind: str, relationship_status: str | None, agreement_status: str | None
) -> bool:
    """Whether the customer's state still calls for a link of this kind from this partner: a
    reseller relationship not yet active, or an agreement not yet on record (a re-acceptance
    due still calls for one). Resend's rule, on the list and in the service alike."""
    if kind == InvitationKind.RESELLER_RELATIONSHIP:
        return relationship_status != "active"
    return agreement_status not in ON_RECORD


class InvitationQuerySet(models.QuerySet):
    """Expired is never stored: it is an open invitation whose time has run out."""

    def live(self, now=None):
        """Open and not yet expired: the link still works."""
        return self.filter(status__in=OPEN_STATUSES, expires_at__gt=now or timezone.now())

    def lapsed(self, now=None):
        """Open but past its expiry: shown as expired."""
        return self.filter(status__in=OPEN_STATUSES, expires_at__lte=now or timezone.now())

    def with_standing(self):
        """Each invitation with where its customer stands with the inviting partner now (its
        relationship's status and agreement status), in the same query: what ``can_resend``
        needs to know whether a new link is still called for."""
        relationship = Relationship.objects.filter(
            partner_id=OuterRef("partner_id"), customer_id=OuterRef("customer_id")
        )
        return self.annotate(
            standing_relationship_status=Subquery(relationship.values("status")[:1]),
            standing_agreement_status=Subquery(relationship.values("agreement_status")[:1]),
        )


class Invitation(models.Model):
    public_id = models.UUIDField(
        _("invitation ID"), default=uuid.uuid4, unique=True, editable=False
    )
    partner = models.ForeignKey(
        "portal.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=InvitationKind.choices)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InvitationStatus.choices,
        default=InvitationStatus.PENDING,
    )
    created_by = models.ForeignKey(
        "portal.User", verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        "portal.User",
        verbose_name=_("accepted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    blocked_at = models.DateTimeField(_("blocked"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    declined_by = models.ForeignKey(
        "portal.User",
        verbose_name=_("declined by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    replaced_by = models.OneToOneField(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
    )
    email_to = models.EmailField(_("sent to"), blank=True)
    # The copies of the last message sent (addresses), shown with it and added by the outbox.
    email_cc = models.JSONField(_("copies sent to"), default=list, blank=True)
    email_subject = models.CharField(_("email subject"), max_length=300, blank=True)
    email_body = models.TextField(_("email body"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["partner", "-created_at"], name="invitation_partner_idx"),
            # The invitations list sorted by expiry (invitations.filters.SORTS).
            models.Index(fields=["partner", "expires_at", "id"], name="invitation_expiry_idx"),
            models.Index(fields=["customer", "status"], name="invitation_customer_idx"),
            # The dashboard's "declined by customers" (invitations.views.declined_section).
            models.Index(
                fields=["partner", "-declined_at"],
                condition=models.Q(status="declined"),
                name="invitation_declined_idx",
            ),
        ]
        constraints = [
            # One live link per partner and customer (R8), kept by the database so two agents
            # inviting the same customer at the same moment can't both leave one open.
            models.UniqueConstraint(
                fields=["partner", "customer"],
                condition=models.Q(status__in=["pending", "opened"]),
                name="one_open_invitation_per_customer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.customer}"

    @property
    def is_expired(self) -> bool:
        return self.status in OPEN_STATUSES and self.expires_at <= timezone.now()

    @property
    def effective_status(self) -> str:
        """The stored status, with an open invitation past its expiry shown as expired."""
        return InvitationStatus.EXPIRED if self.is_expired else self.status

    def get_effective_status_display(self) -> StrOrPromise:
        return InvitationStatus(self.effective_status).label

    @property
    def is_used(self) -> bool:
        """Accepted; a blocked invitation with an acceptance date is D2's, whose reseller
        relationship was accepted."""
        return self.status == InvitationStatus.ACCEPTED or (
            self.status == InvitationStatus.BLOCKED and self.accepted_at is not None
        )

    @property
    def can_resend(self) -> bool:
        """A new link may replace this one: not used, not replaced already, not blocked (R6:
        the customer has bought before, so a new link would be blocked as soon as opened), and,
        where the query said where the customer stands (``with_standing``), still called for:
        an expired or revoked invitation of a customer that has since accepted or been attested
        offers no Resend. The service checks the standing again under the customer's lock."""
        if self.is_used or self.replaced_by_id is not None:
            return False
        if self.status == InvitationStatus.BLOCKED or self.blocked_at is not None:
            return False
        standing = vars(self)
        if "standing_agreement_status" in standing:
            return still_called_for(
                self.kind,
                standing["standing_relationship_status"],
                standing["standing_agreement_status"],
            )
        return True

    @property
    def can_revoke(self) -> bool:
        """The link still works and may be withdrawn."""
        return self.replaced_by_id is None and self.status in OPEN_STATUSES and not self.is_expired

    @property
    def asks_for_relationship(self) -> bool:
        return self.kind == InvitationKind.RESELLER_RELATIONSHIP


class BulkAction(models.TextChoices):
    INVITE = "invite", _("Invite to accept the MCA in the admin center")
    RESEND_LAPSED = "resend_lapsed", _("Re-send lapsed invitations")


class BulkJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")


class BulkRelationshipJob(models.Model):
    """A background job over customers selected on the customers list (as relationships):
    bulk invitations here, signing links in bulk (signing.models.BulkSigningJob).

    The selection is kept, not its customers: either the rows picked on the list or the
    list's filter, which the task walks in primary-key order from ``cursor`` (the shared
    task steps: invitations.bulk). A concrete job adds its own fields, the counter of what it
    did (beside ``skipped`` and ``failed``), and its Meta's names and indexes.
    """

    public_id = models.UUIDField(_("public ID"), default=uuid.uuid4, unique=True, editable=False)
    partner = models.ForeignKey(
        "portal.Partner", verbose_name=_("partner"), on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        "portal.User", verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+"
    )
    # {"relationship_ids": [...]} (the list's rows) or {"filter": {"q": ..., "status": ..., "country": ...}}
    selection = models.JSONField(_("selection"))
    status = models.CharField(
        _("status"), max_length=10, choices=BulkJobStatus.choices, default=BulkJobStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    processed = models.PositiveIntegerField(_("processed"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    # The last relationship handled: the task goes on after it.
    cursor = models.BigIntegerField(_("cursor"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    @property
    def finished(self) -> bool:
        return self.status == BulkJobStatus.COMPLETED

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.finished else 0
        return min(100, self.processed * 100 // self.total)


class BulkRelationshipResult(models.Model):
    """What a BulkRelationshipJob did for one customer (as seen through one relationship); a
    concrete result adds its ``job``, its ``outcome`` (with its job's choices) and what it made."""

    relationship = models.ForeignKey(
        "customers.Relationship",
        verbose_name=_("relationship"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=40, blank=True)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.job_id}/{self.relationship_id}: {self.outcome}"  # type: ignore[attr-defined]


class BulkInvitationJob(BulkRelationshipJob):
    """Invitations for many customers at once, made by a background task (invitations.bulk)."""

    action = models.CharField(_("action"), max_length=20, choices=BulkAction.choices)
    invited = models.PositiveIntegerField(_("invited"), default=0)

    class Meta(BulkRelationshipJob.Meta):
        verbose_name = _("bulk invitation job")
        verbose_name_plural = _("bulk invitation jobs")
        indexes = [
            models.Index(fields=["partner", "-created_at"], name="bulkinv_partner_created"),
            models.Index(fields=["status", "updated_at"], name="bulkinv_status_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.public_id})"


class BulkOutcome(models.TextChoices):
    INVITED = "invited", _("Invited")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


class BulkInvitationResult(BulkRelationshipResult):
    """What the job did for one customer (as seen through one relationship)."""

    job = models.ForeignKey(
        BulkInvitationJob, verbose_name=_("job"), on_delete=models.CASCADE, related_name="results"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=BulkOutcome.choices)
    invitation = models.ForeignKey(
        Invitation,
        verbose_name=_("invitation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("bulk invitation result")
        verbose_name_plural = _("bulk invitation results")
        constraints = [
            models.UniqueConstraint(
                fields=["job", "relationship"], name="bulkinv_one_result_per_relationship"
            )
        ]
