"""The background-job kit every app uses for slow work (bulk jobs, emails, alerts).

Jobs are tasks of Django's Tasks API (the django-tasks backport of Django 6's
``django.tasks``). A task is only a trigger: the work it stands for is a durable row of the app
that owns it (a bulk job, an outbox message), written in the same transaction as the change
that calls for it, and the task carries only that row's id. So:

- **nothing is lost**: ``enqueue`` puts the task in the same transaction when the backend
  keeps tasks in the portal's own database (it commits with the row or not at all), and after
  the commit otherwise; a worker killed mid-task, or a task lost between commit and enqueue,
  leaves the row unfinished, and the app's *recoverer* (``register_recoverer``), which
  ``manage.py worker`` runs at start and every ``RECOVER_EVERY`` seconds, enqueues it again;
- **nothing is done twice**: each task claims its row (a status change under a row lock)
  before it acts and records what it did in the same transaction as the effect where it can;
  where it can't (an email leaves the building), it records the attempt first and never
  repeats an attempt whose outcome is unknown. (Webhooks choose the other way, as webhooks do:
  an attempt whose outcome is unknown is made again with the same event id, which the receiver
  uses to drop the repeat — alerts.webhooks.)
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction
from django_tasks import task_backends
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db import DatabaseBackend

logger = logging.getLogger(__name__)

# How often a running worker looks for work whose task was lost (and at its start).
RECOVER_EVERY = datetime.timedelta(seconds=30)

# A recoverer enqueues again the work of its app that is due but has no live task; it returns
# how many it enqueued.
Recoverer = Callable[[], int]

_recoverers: list[Recoverer] = []


def register_recoverer(recoverer: Recoverer) -> Recoverer:
    if recoverer not in _recoverers:
        _recoverers.append(recoverer)
    return recoverer


def recover() -> int:
    """Run every app's recoverer; one that fails doesn't stop the others."""
    enqueued = 0
    for recoverer in _recoverers:
        try:
            enqueued += recoverer()
        except Exception:
            logger.exception("Recovering background work failed in %s", recoverer)
    return enqueued


def transactional_backend(task: Any) -> bool:
    """Whether enqueuing ``task`` is part of the caller's transaction: its backend keeps tasks
    in the portal's database (or, in tests, runs them on the spot, inside it)."""
    return isinstance(task_backends[task.backend], DatabaseBackend | ImmediateBackend)


def enqueue(task: Any, *args: Any, **kwargs: Any) -> None:
    """Enqueue ``task`` so that it runs if and only if the caller's transaction commits."""
    if transactional_backend(task):
        task.enqueue(*args, **kwargs)
    else:
        # Redis doesn't roll back: hand the task over only once the row it names exists.
        # If the process dies in between, the recoverer finds the row and enqueues it.
        transaction.on_commit(partial(task.enqueue, *args, **kwargs))
