"""Fold the portfolio's ledgers into one row per key (run from cron, e.g. hourly, where
attestations come faster than dashboards are read); --rebuild recounts them from the rows."""

from django.core.management.base import BaseCommand
from django.db import connection

from portal.models import Partner
from portfolio import counters


class Command(BaseCommand):
    help = "Compact the portfolio's status and acceptance ledgers (or --rebuild them)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="recount from the live rows")

    def handle(self, *args, rebuild: bool = False, **options) -> None:
        if rebuild:
            counters.rebuild(connection)
            self.stdout.write("Rebuilt the portfolio's counters from the live rows.")
            return
        ids = list(Partner.objects.values_list("pk", flat=True))
        for start in range(0, len(ids), 500):
            counters.compact(ids[start : start + 500])
        self.stdout.write(f"Compacted the counters of {len(ids)} partners.")
