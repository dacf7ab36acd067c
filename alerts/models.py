"""Alerts: what happened that a partner's agents should know, each agent's choice of how to
hear about it, and the notifications in the portal."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Role


class Event(models.TextChoices):
    ACCEPTED_DIRECTLY = "accepted_directly", _("A customer accepted the agreement directly")
    INVITATION_BLOCKED = "invitation_blocked", _("An invitation was blocked (partner must attest)")
    INVITATION_LAPSING = "invitation_lapsing", _("An invitation lapses within 3 days")
    INVITATION_LAPSED = "invitation_lapsed", _("An invitation lapsed")
    ATTESTATION_REQUESTED = "attestation_requested", _("A reseller asked you to attest")
    ORDER_REFUSED = "order_refused", _("An order was refused by the order gate")
    VERSION_PUBLISHED = (
        "version_published",
        _("A version requiring re-acceptance was published"),
    )
    CAMPAIGN_DEADLINE = "campaign_deadline", _("A re-acceptance deadline is 14 or 3 days away")


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Email at once")
    DIGEST = "digest", _("Daily digest email")
    NONE = "none", _("Not at all")


# Each role's choice until the agent makes its own: those who act hear at once; helpdesk and
# billing, who only read, get the day's digest.
ROLE_DEFAULTS: dict[str, str] = {
    Role.ADMIN_AGENT: Delivery.IMMEDIATE,
    Role.SALES_AGENT: Delivery.IMMEDIATE,
    Role.HELPDESK_AGENT: Delivery.DIGEST,
    Role.BILLING_ADMIN: Delivery.DIGEST,
}


class AlertPreference(models.Model):
    """An agent's own choice for one event (none stored: the role's default)."""

    user = models.ForeignKey(
        "portal.User",
        verbose_name=_("agent"),
        on_delete=models.CASCADE,
        related_name="alert_preferences",
    )
    event = models.CharField(_("event"), max_length=30, choices=Event.choices)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices)

    class Meta:
        verbose_name = _("alert preference")
        verbose_name_plural = _("alert preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="alert_preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.event}: {self.delivery}"


class Notification(models.Model):
    """One event for one agent, written with the change that caused it; shown in the portal,
    emailed at once (through portal.outbox, in the same transaction) or in the day's digest.
    ``key`` names the event (unique per agent), so an event told twice is kept once."""

    recipient = models.ForeignKey(
        "portal.User",
        verbose_name=_("agent"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.CharField(_("event"), max_length=30, choices=Event.choices)
    key = models.CharField(_("event key"), max_length=120)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Digest: when the day's digest email took it (None: not yet).
    digested_at = models.DateTimeField(_("in a digest"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list_idx"),
            models.Index(
                fields=["delivery", "digested_at"],
                name="notification_digest_idx",
                condition=models.Q(delivery="digest", digested_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.title}"
