"""The portfolio's counters: insert-only ledgers that database triggers write.

A count kept in one row per partner would be a hot row: every attestation of a partner's
customers would queue on it. Instead each change of a relationship's agreement status, and
each acceptance recorded, *inserts* a row here, in the same statement as the write (triggers
installed by migration 0002, so bulk loads, the admin and raw SQL are counted too). Reads sum
a partner's rows; ``portfolio.counters.compact`` folds them into one row per key now and then.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StatusDelta(models.Model):
    """+n or -n relationships of ``partner`` in stored agreement status ``status``."""

    # No database constraint: rows are written by triggers, also while a test flush deletes.
    partner = models.ForeignKey(
        "portal.Partner",
        verbose_name=_("partner"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    status = models.CharField(_("agreement status"), max_length=10)
    # For "invited": the day (UTC) its invitation lapses. An invitation lapses with no write,
    # so the dashboard reads the invited by that day: past days have lapsed, later ones are
    # open, and only today's are compared with the clock, row by row.
    until = models.DateField(_("invited until (day)"), null=True, blank=True)
    delta = models.BigIntegerField(_("change"))

    class Meta:
        verbose_name = _("agreement status change")
        verbose_name_plural = _("agreement status changes")
        indexes = [models.Index(fields=["partner", "status"], name="portfolio_delta_partner_idx")]

    def __str__(self) -> str:
        return f"{self.partner_id} {self.status} {self.delta:+d}"


class AcceptanceTally(models.Model):
    """``count`` acceptances recorded for ``partner`` on ``day`` (UTC)."""

    partner = models.ForeignKey(
        "portal.Partner",
        verbose_name=_("partner"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    day = models.DateField(_("day"))
    count = models.BigIntegerField(_("acceptances"))

    class Meta:
        verbose_name = _("acceptances of a day")
        verbose_name_plural = _("acceptances by day")
        indexes = [models.Index(fields=["partner", "day"], name="portfolio_tally_partner_idx")]

    def __str__(self) -> str:
        return f"{self.partner_id} {self.day} {self.count}"
