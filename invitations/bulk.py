"""Bulk invitations: invite many customers (or re-send their lapsed invitations) in one go.

The agent selects customers on the list (or "all matching this filter"), previews who will be
invited and who skipped and why, and starts a job. The job row keeps the selection, not the
customers; a background task walks it in primary-key order, a batch at a time, and for each
customer in one transaction: decides, invites through the same services as the single flow
(issue_invitation or resend_invitation, then send_invitation, whose email goes through the
outbox keyed by the invitation), and writes the customer's result row. A task that dies
mid-batch loses only an uncommitted customer; the recoverer enqueues the job again and it goes
on where its results end. The job row is locked per customer, so two tasks of one job never
invite one customer twice.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from customers.filters import CustomerListFilter
from customers.models import AgreementStatus, Relationship, RelationshipQuerySet, RelationshipStatus
from customers.selectors import relationships_for
from invitations.email import compose_email
from invitations.models import (
    BulkAction,
    BulkInvitationJob,
    BulkInvitationResult,
    BulkJobStatus,
    BulkOutcome,
    BulkRelationshipJob,
    Invitation,
    InvitationKind,
)
from invitations.services import (
    InvitationUnavailable,
    issue_invitation,
    resend_invitation,
    send_invitation,
)
from portal import background
from portal.models import User

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
# A running job that hasn't moved for this long lost its task.
STALLED_AFTER = datetime.timedelta(minutes=5)
# The list's filters a selection keeps ("all matching this filter").
FILTER_FIELDS = ("q", "status", "country")
MAX_PICKED = 1000


Job = TypeVar("Job", bound=BulkRelationshipJob)


@dataclass(frozen=True)
class Skip:
    reason: str
    message: str


# The task steps every BulkRelationshipJob shares (bulk invitations here; signing links in bulk:
# signing.bulk). Each job's module passes BATCH_SIZE and STALLED_AFTER as its own names hold them.


def refusal(error: ValidationError) -> tuple[str, str]:
    """A service's refusal as a skipped result's reason and message."""
    reason = str(getattr(error, "code", "") or "refused")[:40]
    return reason, " ".join(str(message) for message in error.messages)


def count_result(model: type[Job], job_id: int, counter: str, relationship_id: int) -> None:
    """One more customer handled: its outcome's counter, and the cursor moved past it."""
    model._default_manager.filter(pk=job_id).update(
        processed=F("processed") + 1,
        **{counter: F(counter) + 1},
        cursor=relationship_id,
        updated_at=timezone.now(),
    )


def run_batch(
    model: type[Job],
    job_id: int,
    *,
    task: Any,
    process: Callable[[Job, list[int]], None],
    batch_size: int,
) -> str:
    """One batch of the job (``process`` handles its relationships), then the next batch as a
    task of its own (other jobs get a turn)."""
    job = model._default_manager.select_related("created_by").filter(pk=job_id).first()
    if job is None or job.status == BulkJobStatus.COMPLETED:
        return "done"
    chosen = selected(job.selection, job.created_by)
    if job.status == BulkJobStatus.QUEUED:
        model._default_manager.filter(pk=job.pk, status=BulkJobStatus.QUEUED).update(
            status=BulkJobStatus.RUNNING, total=chosen.count(), updated_at=timezone.now()
        )
    batch = list(chosen.filter(pk__gt=job.cursor).values_list("pk", flat=True)[:batch_size])
    process(job, batch)
    if len(batch) < batch_size:
        model._default_manager.filter(pk=job.pk).update(
            status=BulkJobStatus.COMPLETED, finished_at=timezone.now(), updated_at=timezone.now()
        )
        return "done"
    with transaction.atomic():
        background.enqueue(task, job.pk)
    return "more"


def recover_stalled(model: type[Job], *, task: Any, stalled_after: datetime.timedelta) -> int:
    """Enqueue again the jobs that stopped moving (their task was lost or its worker died)."""
    stalled = model._default_manager.filter(
        status__in=[BulkJobStatus.QUEUED, BulkJobStatus.RUNNING],
        updated_at__lt=timezone.now() - stalled_after,
    ).values_list("pk", flat=True)
    enqueued = 0
    for pk in stalled:
        with transaction.atomic():
            # Moved on, so it isn't enqueued again every half minute while it waits its turn.
            model._default_manager.filter(pk=pk).update(updated_at=timezone.now())
            background.enqueue(task, pk)
        enqueued += 1
    return enqueued


def reason_to_skip(relationship: Relationship, action: str, partner_id: int | None) -> Skip | None:
    """Why this customer is not invited, by the single flow's rules; None: it will be.

    Reads only the relationship's stored status (kept by customers.status from the same facts
    the services check), so a preview of a page costs one query; the job then calls the
    services themselves, which check again and may still refuse (no agreement published for
    the country, for one).
    """
    if relationship.partner_id != partner_id:
        # A provider sees its resellers' customers; the reseller invites them (invite_existing).
        return Skip(
            "not_allowed",
            _("A customer of your reseller %(reseller)s: only the reseller can invite it.")
            % {"reseller": relationship.partner.name},
        )
    status = relationship.effective_agreement_status
    if status in (AgreementStatus.ATTESTED, AgreementStatus.ACCEPTED):
        return Skip(
            "on_record",
            _("The agreement is already on record for this customer; there is nothing to ask."),
        )
    if status == AgreementStatus.BLOCKED:
        return Skip(
            "blocked",
            _(
                "Blocked: the customer has bought before, so it can't accept in the admin "
                "center. Attest the acceptance on its behalf instead."
            ),
        )
    if status == AgreementStatus.INVITED:
        return Skip("open_invitation", _("An invitation is already open for this customer."))
    if (
        action == BulkAction.RESEND_LAPSED
        and relationship.agreement_status != AgreementStatus.INVITED
    ):
        return Skip("not_lapsed", _("This customer has no lapsed invitation to re-send."))
    return None


def selected(selection: dict[str, Any], user: User) -> RelationshipQuerySet:
    """The relationships a selection names, scoped to what this agent may see (R4)."""
    base = relationships_for(user)
    if "relationship_ids" in selection:
        chosen = base.filter(pk__in=selection["relationship_ids"])
    else:
        chosen = CustomerListFilter(selection.get("filter") or None, queryset=base).qs
    return chosen.order_by("pk")


def start_job(*, user: User, action: str, selection: dict[str, Any]) -> BulkInvitationJob:
    assert user.partner_id is not None  # an agent (the views require one)
    with transaction.atomic():
        job = BulkInvitationJob.objects.create(
            partner_id=user.partner_id, created_by=user, action=action, selection=selection
        )
        background.enqueue(run_job, job.pk)
    return job


def _invite(job: BulkInvitationJob, relationship: Relationship) -> Invitation:
    """The single flow's services, one after the other: issue (or resend), then send."""
    if job.action == BulkAction.INVITE:
        kind = (
            InvitationKind.EXISTING_CUSTOMER
            if relationship.status == RelationshipStatus.ACTIVE
            else InvitationKind.RESELLER_RELATIONSHIP
        )
        invitation, link = issue_invitation(
            partner=job.partner,
            customer=relationship.customer,
            kind=kind,
            created_by=job.created_by,
        )
    else:
        latest = (
            Invitation.objects.filter(
                partner_id=job.partner_id, customer_id=relationship.customer_id
            )
            .order_by("-created_at", "-id")
            .first()
        )
        if latest is None:
            raise InvitationUnavailable(
                _("This customer has no lapsed invitation to re-send."), code="not_lapsed"
            )
        invitation, link = resend_invitation(invitation=latest, created_by=job.created_by)
    email = compose_email(invitation, link)
    return send_invitation(invitation=invitation, subject=email.subject, body=email.body)


def _process(job_id: int, relationship_id: int) -> None:
    """One customer, in one transaction: its invitation, its email in the outbox, its result
    and the job's counters commit together or not at all."""
    with transaction.atomic():
        job = (
            BulkInvitationJob.objects.select_for_update()
            .select_related("partner", "created_by")
            .get(pk=job_id)
        )
        if BulkInvitationResult.objects.filter(job=job, relationship_id=relationship_id).exists():
            return
        relationship = Relationship.objects.select_related("customer", "partner").get(
            pk=relationship_id
        )
        result = BulkInvitationResult(job=job, relationship=relationship)
        skip = reason_to_skip(relationship, job.action, job.partner_id)
        if skip is not None:
            result.outcome, result.reason, result.message = (
                BulkOutcome.SKIPPED,
                skip.reason,
                skip.message,
            )
        else:
            try:
                with transaction.atomic():
                    result.invitation = _invite(job, relationship)
                result.outcome = BulkOutcome.INVITED
            except ValidationError as error:
                result.outcome = BulkOutcome.SKIPPED
                result.reason, result.message = refusal(error)
            except Exception:
                logger.exception("Bulk invitation job %s failed for %s", job.pk, relationship.pk)
                result.outcome = BulkOutcome.FAILED
                result.reason = "error"
                result.message = _("Something went wrong; invite this customer again.")
        result.save()
        counter = {
            BulkOutcome.INVITED: "invited",
            BulkOutcome.SKIPPED: "skipped",
            BulkOutcome.FAILED: "failed",
        }[BulkOutcome(result.outcome)]
        count_result(BulkInvitationJob, job.pk, counter, relationship_id)


@task()
def run_job(job_id: int) -> str:
    """One batch of the job, then the next batch as a task of its own (other jobs get a turn)."""

    def process(job: BulkInvitationJob, batch: list[int]) -> None:
        for relationship_id in batch:
            _process(job.pk, relationship_id)

    return run_batch(
        BulkInvitationJob, job_id, task=run_job, process=process, batch_size=BATCH_SIZE
    )


def recover() -> int:
    """Enqueue again the jobs that stopped moving (their task was lost or its worker died)."""
    return recover_stalled(BulkInvitationJob, task=run_job, stalled_after=STALLED_AFTER)


background.register_recoverer(recover)
