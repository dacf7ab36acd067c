"""How the stored status follows a version that requires re-acceptance.

A relationship's agreement status is stored (customers.status), but "re-acceptance due"
starts on a *date*: the version's publication, which an operator may set in the future. No
write happens on that day by itself, so something must walk the relationships then. Reading
the status live instead (as an invitation's lapse is read, from ``invited_until``) would need
every list, filter, counter and index to know the versions and their documents per country;
the dashboard's counters are trigger ledgers over the stored column and would miss it. So the
status is stored, and a *sweep* changes it on the day:

- saving a version (the admin) calls ``schedule`` in the same transaction: a pending
  ``ReacceptanceSweep`` row, and its task enqueued to run from the publication day (at once
  when it is today or past; the database backend holds it until then);
- ``run`` walks the relationships whose status the version can change — those with an
  acceptance on record or already due, in the countries the version has a document for — in
  batches of ``BATCH`` in id order; each batch locks its customers (customers.locks' order),
  refreshes them through ``refresh_agreement_status`` (the one precedence) and moves the
  sweep's cursor in the same transaction, so a worker killed mid-walk resumes where the last
  batch committed and nothing is refreshed twice for nothing;
- ``recover`` (portal.background's recoverer, run by ``manage.py worker``) enqueues again a
  sweep that is due and has made no progress for ``STALLED_AFTER``;
- ``manage.py reacceptance_sweeps`` (run daily from cron, e.g. at 00:05 in the portal's time
  zone) schedules a sweep for every version requiring re-acceptance whose publication day has
  come without one, and enqueues every due sweep: the safety net for a backend that can't
  defer, or a task lost in between.

Records written later (attestations, acceptances, bulk) refresh their customer as they always
do, through the same fact source, so only the day a version starts needs the walk. The
deadline changes no stored status: the order gate reads it live (orders.services.order_gate).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task, task_backends

from agreements.models import AgreementTemplate, ReacceptanceSweep, SweepStatus
from agreements.validators import portal_today
from customers.locks import lock_customers
from customers.models import AgreementStatus, Customer, Relationship
from customers.status import refresh_agreement_status
from portal import background

BATCH = 200
STALLED_AFTER = datetime.timedelta(minutes=10)
# Statuses a version requiring re-acceptance can change: something is on record.
AFFECTED = (AgreementStatus.ATTESTED, AgreementStatus.ACCEPTED, AgreementStatus.DUE)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _enqueue(sweep: ReacceptanceSweep) -> None:
    if sweep.run_on > portal_today() and task_backends[run_sweep.backend].supports_defer:
        background.enqueue(run_sweep.using(run_after=_start_of(sweep.run_on)), sweep.pk)
    else:
        # Too early under a backend that can't wait: the task finds it not yet due, and the
        # daily command enqueues it on the day.
        background.enqueue(run_sweep, sweep.pk)


def schedule(template: AgreementTemplate) -> ReacceptanceSweep:
    """A sweep for this version as it is now saved, in the caller's transaction; an earlier
    pending one of the same version is superseded (this one walks everything it would)."""
    with transaction.atomic():
        ReacceptanceSweep.objects.filter(template=template, status=SweepStatus.PENDING).update(
            status=SweepStatus.DONE, finished_at=timezone.now()
        )
        sweep = ReacceptanceSweep.objects.create(
            template=template, run_on=max(template.published_on, portal_today())
        )
        _enqueue(sweep)
    return sweep


def _affected(template: AgreementTemplate, after: int) -> list[tuple[int, int]]:
    countries = list(template.documents.values_list("country", flat=True).distinct())
    return list(
        Relationship.objects.filter(
            pk__gt=after, agreement_status__in=AFFECTED, customer_country__in=countries
        )
        .order_by("pk")
        .values_list("pk", "customer_id")[:BATCH]
    )


def run_batch(sweep_id: int) -> bool:
    """Refresh the next batch; False once the sweep is done (or not this worker's, or not
    due yet)."""
    with transaction.atomic():
        sweep = (
            ReacceptanceSweep.objects.select_for_update(skip_locked=True)
            .select_related("template")
            .filter(pk=sweep_id, status=SweepStatus.PENDING)
            .first()
        )
        if sweep is None or sweep.run_on > portal_today():
            return False
        rows = _affected(sweep.template, sweep.cursor)
        now = timezone.now()
        if not rows:
            sweep.status, sweep.finished_at, sweep.touched_at = SweepStatus.DONE, now, now
            sweep.save(update_fields=["status", "finished_at", "touched_at"])
            return False
        customer_ids = sorted({customer_id for _pk, customer_id in rows})
        lock_customers(customer_ids)
        before = dict(
            Relationship.objects.filter(customer_id__in=customer_ids).values_list(
                "pk", "agreement_status"
            )
        )
        for customer in Customer.objects.filter(pk__in=customer_ids).order_by("pk"):
            refresh_agreement_status(customer)
        after = dict(
            Relationship.objects.filter(customer_id__in=customer_ids).values_list(
                "pk", "agreement_status"
            )
        )
        sweep.changed += sum(1 for pk, status in after.items() if before.get(pk) != status)
        sweep.cursor, sweep.touched_at = rows[-1][0], now
        sweep.save(update_fields=["cursor", "changed", "touched_at"])
    return True


def run(sweep_id: int) -> None:
    while run_batch(sweep_id):
        pass


@task()
def run_sweep(sweep_id: int) -> None:
    run(sweep_id)


def due_sweeps() -> list[int]:
    return list(
        ReacceptanceSweep.objects.filter(
            status=SweepStatus.PENDING, run_on__lte=portal_today()
        ).values_list("pk", flat=True)
    )


def schedule_missing(today: datetime.date | None = None) -> list[ReacceptanceSweep]:
    """A sweep for every version requiring re-acceptance, published by ``today``, that has
    none from its publication day on (saved before that day under a backend that can't defer,
    or created outside the admin)."""
    today = today or portal_today()
    missing = (
        AgreementTemplate.objects.published(today)
        .filter(requires_reacceptance=True)
        .exclude(sweeps__run_on__gte=F("published_on"))
    )
    return [schedule(template) for template in missing]


def recover() -> int:
    """portal.background's recoverer: due sweeps with no progress for STALLED_AFTER."""
    stalled = ReacceptanceSweep.objects.filter(
        status=SweepStatus.PENDING,
        run_on__lte=portal_today(),
        touched_at__lt=timezone.now() - STALLED_AFTER,
    ).values_list("pk", flat=True)
    enqueued = 0
    for pk in stalled:
        with transaction.atomic():
            background.enqueue(run_sweep, pk)
        enqueued += 1
    return enqueued


background.register_recoverer(recover)
