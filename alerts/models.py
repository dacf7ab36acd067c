"""Alerts: what happened that a partner's agents should know, each agent's choice of how to
hear about it, and the notifications in the portal."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.models import Role


class Event(models.TextChoices):
    ACCEPTED_DIRECTLY = "accepted_directly", _("A customer accepted the agreement directly")
    INVITATION_BLOCKED = "invitation_blocked", _("An invitation was blocked (partner must attest)")
    CUSTOMER_DECLINED = (
        "customer_declined",
        _("A customer declined an invitation or signing request"),
    )
    INVITATION_LAPSING = "invitation_lapsing", _("An invitation lapses within 3 days")
    INVITATION_LAPSED = "invitation_lapsed", _("An invitation lapsed")
    ATTESTATION_REQUESTED = "attestation_requested", _("A reseller asked you to attest")
    ORDER_REFUSED = "order_refused", _("An order was refused by the order gate")
    VERSION_PUBLISHED = (
        "version_published",
        _("A version requiring re-acceptance was published"),
    )
    CAMPAIGN_DEADLINE = "campaign_deadline", _("A re-acceptance deadline is 14 or 3 days away")
    WEBHOOK_DISABLED = "webhook_disabled", _("A webhook endpoint was disabled after failing")


# Told only to admin agents (who manage webhooks), and never sent to a webhook.
ADMIN_EVENTS = frozenset({Event.WEBHOOK_DISABLED})
# What a webhook endpoint may subscribe to.
WEBHOOK_EVENTS = [value for value in Event.values if value not in ADMIN_EVENTS]


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
    # The title and text in each of the portal's languages ({"cs": {"title": …, "body": …}}),
    # so the page shows them in its own language; title/body above are the recipient's
    # language (its email), and all an older row has.
    texts = models.JSONField(_("texts per language"), default=dict, blank=True)
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

    def _text(self, part: str) -> str:
        language = (get_language() or "").split("-")[0]
        shown = (self.texts or {}).get(language) or {}
        return shown.get(part) or getattr(self, part)

    @property
    def shown_title(self) -> str:
        """The title in the active language (the stored one if it was not kept in it)."""
        return self._text("title")

    @property
    def shown_body(self) -> str:
        return self._text("body")


class WebhookEndpoint(models.Model):
    """An integrator's URL (a PSA or billing system) that the portal POSTs the partner's events
    to, signed with the endpoint's secret (alerts.webhooks)."""

    public_id = models.UUIDField(_("public ID"), default=uuid.uuid4, unique=True, editable=False)
    partner = models.ForeignKey(
        "portal.Partner", verbose_name=_("partner"), on_delete=models.CASCADE, related_name="+"
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # Event values (Event), a subset of WEBHOOK_EVENTS.
    events = models.JSONField(_("events"), default=list)
    # The signing secret, encrypted (AES-256-GCM, a key derived from SECRET_KEY): shown once,
    # then only the worker reads it, to sign.
    secret_sealed = models.TextField(_("secret (encrypted)"))
    # After a rotation the old secret signs too (a second v1) until this time.
    previous_secret_sealed = models.TextField(_("previous secret (encrypted)"), blank=True)
    previous_secret_until = models.DateTimeField(_("previous secret until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True)
    disabled_reason = models.TextField(_("why disabled"), blank=True)
    # The failing streak: attempts failed in a row (any success resets it) and since when.
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    created_by = models.ForeignKey(
        "portal.User",
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["partner", "is_active"], name="webhook_partner_active")]

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One event for one endpoint: the webhooks' outbox row, written in the same transaction as
    the change that caused it. ``event_id`` goes in the payload and the MCA-Event-Id header and
    stays the same on every attempt, so a receiver can drop a repeat (delivery is at least
    once)."""

    event_id = models.UUIDField(_("event ID"), default=uuid.uuid4, unique=True, editable=False)
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("endpoint"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event_name = models.CharField(_("event"), max_length=60)
    # The event's key (as the notifications' key): one delivery per event per endpoint.
    key = models.CharField(_("event key"), max_length=120)
    body = models.TextField(_("JSON body"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "key"], name="webhook_delivery_once")
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event_name} {self.event_id}"


class WebhookAttempt(models.Model):
    """One POST of a delivery: the endpoint's delivery log. Written when the attempt is claimed
    (before the request leaves) and completed with its answer."""

    delivery = models.ForeignKey(
        WebhookDelivery,
        verbose_name=_("delivery"),
        on_delete=models.CASCADE,
        related_name="attempt_log",
    )
    # Kept here too, so the log is one query per page.
    endpoint = models.ForeignKey(
        WebhookEndpoint, verbose_name=_("endpoint"), on_delete=models.CASCADE, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("time"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    succeeded = models.BooleanField(_("succeeded"), null=True, blank=True)
    response_excerpt = models.CharField(_("response"), max_length=500, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery attempt")
        verbose_name_plural = _("webhook delivery attempts")
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["endpoint", "-started_at", "-id"], name="webhook_attempt_log"),
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}"
