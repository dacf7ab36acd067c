"""Place the auto-renewals that are due. Safe to run as often as you like (cron, systemd timer)."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand

from agreements.validators import portal_today
from orders.selectors import due_for_renewal
from orders.services import renew_due_order


class Command(BaseCommand):
    help = (
        "Place an auto-renewal order for every order whose renewal is due, and move its "
        "renewal date on by a year. Auto-renewals never pass through the order gate."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="Renew what is due on or before this day (YYYY-MM-DD); default: today.",
        )

    def handle(self, *args, date: datetime.date | None = None, **options):
        today = date or portal_today()
        placed = 0
        # Ids first, then one short transaction per order: a long run never holds
        # locks on more than one subscription at a time.
        for order_pk in list(due_for_renewal(today).values_list("pk", flat=True).iterator()):
            placed += len(renew_due_order(order_pk, today))
        self.stdout.write(f"Placed {placed} auto-renewal order(s) due on or before {today}.")
