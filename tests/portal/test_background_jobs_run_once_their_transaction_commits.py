"""portal.background: a job is enqueued with the transaction that calls for it, the worker
runs it, and work whose task was lost is enqueued again when a worker starts."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from portal import background
from portal.models import Partner
from tests import factories as f
from tests.portal.background_tasks import rename_partner

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
}


class Rollback(Exception):
    pass


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS


def run_worker() -> None:
    call_command("worker", batch=True, reload=False, startup_delay=False, verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_job_enqueued_in_a_transaction_that_rolls_back_never_runs(database_tasks):
    partner = f.PartnerFactory(name="Before")
    with pytest.raises(Rollback), transaction.atomic():
        background.enqueue(rename_partner, partner.pk, "Rolled back")
        raise Rollback
    assert not DBTaskResult.objects.exists()
    run_worker()
    partner.refresh_from_db()
    assert partner.name == "Before"


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_committed_job_once(database_tasks):
    partner = f.PartnerFactory(name="Before")
    with transaction.atomic():
        background.enqueue(rename_partner, partner.pk, "After")
    run_worker()
    run_worker()
    partner.refresh_from_db()
    assert partner.name == "After"
    result = DBTaskResult.objects.get()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.worker_ids and len(result.worker_ids) == 1


@pytest.mark.django_db(transaction=True)
def test_a_worker_starting_enqueues_lost_work_again(database_tasks):
    partner = f.PartnerFactory(name="Lost")

    def recoverer() -> int:
        # An app's recoverer: its row says the work is unfinished and no task will run it.
        pending = Partner.objects.filter(name="Lost")
        for pk in pending.values_list("pk", flat=True):
            background.enqueue(rename_partner, pk, "Found")
        return pending.count()

    background.register_recoverer(recoverer)
    try:
        run_worker()
    finally:
        background._recoverers.remove(recoverer)
    partner.refresh_from_db()
    assert partner.name == "Found"


@pytest.mark.django_db(transaction=True)
def test_a_failing_recoverer_does_not_stop_the_others(database_tasks):
    calls = []

    def broken() -> int:
        raise RuntimeError("broken")

    def working() -> int:
        calls.append(1)
        return 0

    background.register_recoverer(broken)
    background.register_recoverer(working)
    try:
        assert background.recover() == 0
    finally:
        background._recoverers.remove(broken)
        background._recoverers.remove(working)
    assert calls == [1]


def test_tests_run_jobs_on_the_spot(db):
    partner = f.PartnerFactory(name="Before")
    background.enqueue(rename_partner, partner.pk, "At once")
    partner.refresh_from_db()
    assert partner.name == "At once"


def test_the_worker_refuses_when_jobs_are_on_redis(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}
    }
    with pytest.raises(CommandError, match="not a database backend"):
        run_worker()
