"""A campaign's figures for a partner too large to count on every page load.

Counting a campaign reads every relationship and record the partner sees: at 900,000
customers that is seconds. So for a partner above ``campaigns.snapshots.LIVE_COUNT_LIMIT``
relationships the dashboard and the campaign page read this row instead, and say how old it
is; a background task (campaigns.snapshots) recounts it when a reader finds it stale.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignSnapshot(models.Model):
    """One partner's counts of one campaign, as of ``counted_at``.

    ``requested_at`` is the durable request for a recount (portal.background): set, with the
    task enqueued, in the reader's transaction; cleared by the task that counted after it."""

    partner = models.ForeignKey(
        "portal.Partner", verbose_name=_("partner"), on_delete=models.CASCADE, related_name="+"
    )
    template = models.ForeignKey(
        "agreements.AgreementTemplate",
        verbose_name=_("template"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    due = models.PositiveIntegerField(_("due"), default=0)
    invited = models.PositiveIntegerField(_("invited"), default=0)
    blocked = models.PositiveIntegerField(_("blocked"), default=0)
    done = models.PositiveIntegerField(_("accepted again"), default=0)
    # The progress chart's data: customers done, by the day of their renewing record
    # ("YYYY-MM-DD": number).
    done_by_day = models.JSONField(_("accepted again by day"), default=dict)
    # None until first counted.
    counted_at = models.DateTimeField(_("counted at"), null=True, blank=True)
    requested_at = models.DateTimeField(_("recount requested at"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign counts")
        verbose_name_plural = _("campaign counts")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "template"], name="campaign_snapshot_unique_partner_template"
            ),
        ]
        indexes = [
            models.Index(
                fields=["requested_at"],
                name="campaign_snapshot_request_idx",
                condition=models.Q(requested_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} v{self.template_id} {self.counted_at}"
