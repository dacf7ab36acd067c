"""Run daily (cron, shortly after midnight in the portal's time zone):

    python manage.py reacceptance_sweeps

Schedules the status refresh of every version requiring re-acceptance whose publication day
has come without one, and enqueues every refresh that is due (agreements.reacceptance). A
running ``manage.py worker`` does the work; ``--now`` does it here instead."""

from django.core.management.base import BaseCommand
from django.db import transaction

from agreements import reacceptance
from portal import background


class Command(BaseCommand):
    help = "Schedule and enqueue the re-acceptance status refreshes that are due (run daily)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Run the due refreshes here, not in a worker."
        )

    def handle(self, *args, **options):
        scheduled = reacceptance.schedule_missing()
        due = reacceptance.due_sweeps()
        for pk in due:
            if options["now"]:
                reacceptance.run(pk)
            else:
                with transaction.atomic():
                    background.enqueue(reacceptance.run_sweep, pk)
        self.stdout.write(
            f"{len(scheduled)} refresh(es) scheduled, {len(due)} due "
            f"({'run' if options['now'] else 'enqueued'})."
        )
