"""Shared by the outbox's tests."""

from __future__ import annotations

from django.core.management import call_command

from portal import outbox
from portal.models import OutboxMessage

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
}


def run_worker() -> None:
    call_command("worker", batch=True, reload=False, startup_delay=False, verbosity=0)


def queue(key: str = "test:1", to: str = "jana@acme.example", **kwargs) -> OutboxMessage:
    kwargs.setdefault("subject", "Hello")
    kwargs.setdefault("body_text", "Dear Jana,\n")
    return outbox.queue(dedupe_key=key, to=to, **kwargs)
