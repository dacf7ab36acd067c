"""A campaign's figures for every partner, fast at any size.

A partner of at most ``LIVE_COUNT_LIMIT`` relationships is counted live, on every read (a few
milliseconds): its figures are exact. A larger one (900,000 customers took seconds a count)
reads its ``CampaignSnapshot``, and the page says when it was counted. A reader that finds
the snapshot missing or older than ``STALE_AFTER`` requests a recount: it marks the row
(``requested_at``) and enqueues ``recount`` in one transaction (portal.background), unless a
request is already pending; so however many agents load the dashboard, one count runs at a
time per partner and campaign, and a partner nobody looks at costs nothing.

The task counts in one query and writes the figures with the time it *started* as their
"as of" (everything committed by then is in them). A request made while it counted stays
pending, so the next reader's recount isn't lost. A request whose task was lost (a worker
killed) is enqueued again by the recoverer after ``LOST_AFTER``.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from agreements.models import AgreementTemplate
from campaigns import selectors
from campaigns.models import CampaignSnapshot
from portal import background
from portal.models import Partner

# Above this many relationships a partner's campaigns are read from snapshots: counting live
# costs about 0.1 ms a relationship (900,000: 2-5 s; 20,000: tens of milliseconds).
LIVE_COUNT_LIMIT = 20_000
# Figures older than this are recounted when next read (and shown meanwhile, with their age).
STALE_AFTER = datetime.timedelta(minutes=10)
# A recount requested this long ago and not done lost its task: the recoverer enqueues it again.
LOST_AFTER = datetime.timedelta(minutes=10)


def figures(
    partner: Partner, versions: Sequence[AgreementTemplate]
) -> dict[int, selectors.Figures | None]:
    """Each version's figures for the partner, by the version's pk: live for a partner of at
    most LIVE_COUNT_LIMIT relationships (a query each, after a bounded one); else from the
    snapshots (a query, and a few more when a recount is requested), None while never counted.
    """
    if not versions:
        return {}
    if not selectors.has_more_than(partner, LIVE_COUNT_LIMIT):
        return {version.pk: selectors.tally(partner, version) for version in versions}
    return _snapshots(partner, versions)


def _snapshots(
    partner: Partner, versions: Sequence[AgreementTemplate]
) -> dict[int, selectors.Figures | None]:
    now = timezone.now()
    found = {
        snapshot.template_id: snapshot
        for snapshot in CampaignSnapshot.objects.filter(partner=partner, template__in=versions)
    }
    requested = False
    for version in versions:
        snapshot = found.get(version.pk)
        if snapshot is not None and not _stale(snapshot, now):
            continue
        requested = _request(partner.pk, version.pk, now) or requested
    if requested:
        # The immediate backend (tests, a deployment without a worker) has counted already.
        found = {
            snapshot.template_id: snapshot
            for snapshot in CampaignSnapshot.objects.filter(partner=partner, template__in=versions)
        }
    return {version.pk: _figures(found.get(version.pk)) for version in versions}


def _stale(snapshot: CampaignSnapshot, now: datetime.datetime) -> bool:
    if snapshot.requested_at is not None:
        return False  # a recount is pending (the recoverer minds a lost one)
    return snapshot.counted_at is None or snapshot.counted_at < now - STALE_AFTER


def _request(partner_id: int, template_id: int, now: datetime.datetime) -> bool:
    """Mark the recount requested and enqueue it, unless another reader just did: whether
    this one did."""
    with transaction.atomic():
        CampaignSnapshot.objects.bulk_create(
            [CampaignSnapshot(partner_id=partner_id, template_id=template_id)],
            ignore_conflicts=True,
        )
        marked = CampaignSnapshot.objects.filter(
            partner_id=partner_id, template_id=template_id, requested_at__isnull=True
        ).update(requested_at=now)
        if marked:
            background.enqueue(recount, partner_id, template_id)
    return bool(marked)


def _figures(snapshot: CampaignSnapshot | None) -> selectors.Figures | None:
    if snapshot is None or snapshot.counted_at is None:
        return None
    return selectors.Figures(
        counts=selectors.Counts(
            due=snapshot.due,
            invited=snapshot.invited,
            blocked=snapshot.blocked,
            done=snapshot.done,
        ),
        done_by_day={
            datetime.date.fromisoformat(day): number for day, number in snapshot.done_by_day.items()
        },
        as_of=snapshot.counted_at,
    )


@task()
def recount(partner_id: int, template_id: int) -> str:
    """Count one partner's campaign and store it; what became of the request."""
    started = timezone.now()
    snapshot = CampaignSnapshot.objects.filter(
        partner_id=partner_id, template_id=template_id, requested_at__isnull=False
    ).first()
    if snapshot is None:
        return "skipped"  # counted by an earlier task
    partner = Partner.objects.filter(pk=partner_id).first()
    version = AgreementTemplate.objects.filter(pk=template_id).first()
    if partner is None or version is None:
        return "skipped"
    counted = selectors.tally(partner, version, started)
    CampaignSnapshot.objects.filter(pk=snapshot.pk).update(
        due=counted.counts.due,
        invited=counted.counts.invited,
        blocked=counted.counts.blocked,
        done=counted.counts.done,
        done_by_day={day.isoformat(): n for day, n in sorted(counted.done_by_day.items())},
        counted_at=started,
    )
    # A request made while this counted asks for what this may have missed: it stays.
    CampaignSnapshot.objects.filter(pk=snapshot.pk, requested_at__lte=started).update(
        requested_at=None
    )
    return "counted"


def recover() -> int:
    """portal.background's recoverer: recounts requested LOST_AFTER ago and still pending."""
    now = timezone.now()
    lost = list(
        CampaignSnapshot.objects.filter(Q(requested_at__lt=now - LOST_AFTER)).values_list(
            "pk", "partner_id", "template_id"
        )
    )
    for pk, partner_id, template_id in lost:
        with transaction.atomic():
            CampaignSnapshot.objects.filter(pk=pk).update(requested_at=now)
            background.enqueue(recount, partner_id, template_id)
    return len(lost)


background.register_recoverer(recover)
