"""``manage.py worker``: run background jobs (django-tasks-db's ``db_worker``), and enqueue again
the work whose task was lost (portal.background's recoverers) at start and every half minute.

Takes db_worker's options (``--batch`` runs what is queued, then exits). Run as many as you
like, on as many machines: on PostgreSQL they share the queue (each task is claimed once).
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from portal.background import RECOVER_EVERY, recover


class Command(DbWorkerCommand):
    help = (
        "Run background jobs from the portal's database, and enqueue again any work whose "
        "task was lost (a worker killed mid-job)."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        # Every queue the portal uses, unless told otherwise.
        parser.set_defaults(queue_name=",".join(settings.TASK_QUEUES))

    def handle(self, *args, **options) -> None:
        # (db_worker refuses a backend that isn't the database's; with TASKS_REDIS_URL set,
        # RQ's workers run the jobs: `manage.py rqworker default email --job-class
        # django_tasks_rq.Job`.)
        recovered = recover()
        if recovered:
            self.stderr.write(f"Enqueued {recovered} unfinished job(s) again.")
        if not options.get("batch"):
            threading.Thread(target=_keep_recovering, daemon=True, name="recover").start()
        super().handle(*args, **options)


def _keep_recovering() -> None:
    stop = threading.Event()
    while not stop.wait(RECOVER_EVERY.total_seconds()):
        close_old_connections()
        recover()
