"""Run daily (cron, e.g. at 06:00 in the portal's time zone):

    python manage.py daily_alerts

Enqueues the day's alerts job (alerts.daily.run_day): invitations lapsing within 3 days or
lapsed, versions requiring re-acceptance published, campaign deadlines 14 and 3 days away, and
the daily digests. A running ``manage.py worker`` does it; ``--now`` does it here instead.
Running it twice in a day tells nobody twice (each alert has a key)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from alerts import daily
from portal import background


class Command(BaseCommand):
    help = "Enqueue the day's alerts and digests (run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Run here, not in a worker.")

    def handle(self, *args, **options):
        if options["now"]:
            told = daily.run()
            self.stdout.write(", ".join(f"{name}: {count}" for name, count in told.items()))
            return
        with transaction.atomic():
            background.enqueue(daily.run_day)
        self.stdout.write("The day's alerts are enqueued.")
