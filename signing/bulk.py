"""Signing links in bulk: start a signing request for many customers selected on the customers
list (or "all matching this filter"), each emailed to the customer's signatory.

The agent picks whom to ask (each customer's primary contact, or whoever accepted last for it;
the other one when the chosen has no email) and how long links live; the country and language
of each customer's agreement follow the customer (``selectors.default_document``). A preview
says who will get a link and who is skipped, and why: the agreement of the version in force is
already on record, a link is already open, the partner may not attest (an indirect reseller:
its provider is named), no email to send to, no agreement published for the country.

The job row keeps the selection, not the customers; a background task walks it in primary-key
order, a batch at a time, and for each customer in one transaction: plans again (the same
rules as the preview), starts the request through the single flow's service (which checks
once more, under the customer's lock) and queues its email in the outbox (keyed by the
request: sent once; held to the partner's email rate), and writes the customer's result row.
The job row is locked per customer and a customer's result is written once, so a task run
twice (a recovered job) never starts or emails a link twice.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from agreements.models import Acceptance, AgreementDocument
from agreements.services import reseller_cannot_attest_message
from customers.models import Relationship
from invitations.bulk import (
    BATCH_SIZE,
    STALLED_AFTER,
    Skip,
    count_result,
    recover_stalled,
    refusal,
    run_batch,
)
from portal import background
from portal.models import Partner, User
from signing import email as mail
from signing import selectors, services
from signing.models import (
    DEFAULT_EXPIRY_DAYS,
    BulkSigningJob,
    BulkSigningOutcome,
    BulkSigningResult,
    SignatorySource,
    SigningRequest,
)

logger = logging.getLogger(__name__)

# BATCH_SIZE and STALLED_AFTER (the invitations' values, imported above) are names of this module
# too: run_job and recover read them here when called.


@dataclass(frozen=True)
class Plan:
    """What the job will do for one customer: start a link for ``signatory`` with ``document``,
    or skip it (``skip`` says why)."""

    relationship: Relationship
    signatory: services.Signatory | None
    document: AgreementDocument | None
    skip: Skip | None


def _contact(relationship: Relationship) -> services.Signatory | None:
    customer = relationship.customer
    if not customer.contact_email:
        return None
    return services.Signatory(
        customer.contact_first_name,
        customer.contact_last_name,
        customer.contact_email,
        customer.contact_phone or "",
    )


def _last_signatory(acceptance: Acceptance | None) -> services.Signatory | None:
    if acceptance is None or not acceptance.email:
        return None
    return services.Signatory(
        acceptance.first_name, acceptance.last_name, acceptance.email, acceptance.phone or ""
    )


def plan(
    relationships: list[Relationship],
    partner: Partner,
    source: str,
    documents: list[AgreementDocument],
    now: datetime.datetime | None = None,
) -> list[Plan]:
    """Each relationship's plan, by the single flow's rules; three queries for any number of
    them (which of their records that count for the partner is newest, those records, and
    their open links), given the documents in force (``selectors.documents_in_force``: one
    query, read once)."""
    now = now or timezone.now()
    if not partner.may_attest:
        refused = Skip("reseller", reseller_cannot_attest_message(partner))
        return [Plan(relationship, None, None, refused) for relationship in relationships]
    customer_ids = [relationship.customer_id for relationship in relationships]
    attesting = partner.attesting_partners_ids()
    newest = (
        Acceptance.objects.filter(customer_id=OuterRef("customer_id"), partner_id__in=attesting)
        .order_by("-recorded_at", "-id")
        .values("pk")[:1]
    )
    latest_ids = (
        Relationship.objects.filter(pk__in=[relationship.pk for relationship in relationships])
        .annotate(latest=Subquery(newest))
        .values_list("customer_id", "latest")
    )
    latest = {
        acceptance.customer_id: acceptance
        for acceptance in Acceptance.objects.filter(
            pk__in=[pk for _customer, pk in latest_ids if pk is not None]
        ).only("customer_id", "template_id", "first_name", "last_name", "email", "phone")
    }
    open_links: dict[int, SigningRequest] = {}
    for request in (
        SigningRequest.objects.live(now)
        .filter(partner_id=partner.pk, customer_id__in=customer_ids)
        .only("customer_id", "public_id", "first_name", "last_name", "email", "expires_at")
        .order_by("created_at")
    ):
        open_links.setdefault(request.customer_id, request)
    plans = []
    for relationship in relationships:
        customer = relationship.customer
        record = latest.get(customer.pk)
        document = selectors.default_document(customer, documents)
        chosen, other = _contact(relationship), _last_signatory(record)
        if source == SignatorySource.LAST_SIGNATORY:
            chosen, other = other, chosen
        signatory = chosen or other
        skip: Skip | None = None
        if document is None:
            skip = Skip(
                "no_agreement",
                _("No Microsoft Customer Agreement is published for the customer's country."),
            )
        elif record is not None and record.template_id == document.template_id:
            skip = Skip(
                "on_record",
                _("Acceptance of the version in force is already on record for this customer."),
            )
        elif customer.pk in open_links:
            link = open_links[customer.pk]
            skip = Skip(
                "open",
                _("A signing link for %(name)s (%(email)s) is already open, until %(expires)s.")
                % {
                    "name": link.full_name,
                    "email": link.email,
                    "expires": date_format(timezone.localtime(link.expires_at), "DATETIME_FORMAT"),
                },
            )
        elif signatory is None:
            skip = Skip(
                "no_email",
                _("Neither the primary contact nor anyone who accepted before has an email."),
            )
        plans.append(Plan(relationship, signatory, document, skip))
    return plans


def start_job(
    *,
    user: User,
    selection: dict[str, Any],
    signatory_source: str = SignatorySource.CONTACT,
    expires_in_days: int = DEFAULT_EXPIRY_DAYS,
) -> BulkSigningJob:
    assert user.partner_id is not None  # an agent (the views require one)
    with transaction.atomic():
        job = BulkSigningJob.objects.create(
            partner_id=user.partner_id,
            created_by=user,
            selection=selection,
            signatory_source=signatory_source,
            expires_in_days=expires_in_days,
        )
        background.enqueue(run_job, job.pk)
    return job


def _start(job: BulkSigningJob, step: Plan) -> SigningRequest:
    """The single flow's services: start the request, then queue its email."""
    assert step.signatory is not None and step.document is not None
    request, token = services.start_signing(
        customer=step.relationship.customer,
        partner=job.partner,
        started_by=job.created_by,
        signatory=step.signatory,
        document=step.document,
        expires_in_days=job.expires_in_days,
    )
    services.send_link(request=request, link=mail.signing_link(token))
    return request


COUNTERS = {
    BulkSigningOutcome.STARTED: "started",
    BulkSigningOutcome.SKIPPED: "skipped",
    BulkSigningOutcome.FAILED: "failed",
}


def _process(job_id: int, relationship_id: int, documents: list[AgreementDocument]) -> None:
    """One customer, in one transaction: its request, its email in the outbox, its result and
    the job's counters commit together or not at all."""
    with transaction.atomic():
        job = (
            BulkSigningJob.objects.select_for_update(of=("self",))
            .select_related("partner", "partner__provider", "created_by")
            .get(pk=job_id)
        )
        if BulkSigningResult.objects.filter(job=job, relationship_id=relationship_id).exists():
            return
        relationship = Relationship.objects.select_related("customer", "partner").get(
            pk=relationship_id
        )
        result = BulkSigningResult(job=job, relationship=relationship)
        (step,) = plan([relationship], job.partner, job.signatory_source, documents)
        if step.skip is not None:
            result.outcome = BulkSigningOutcome.SKIPPED
            result.reason, result.message = step.skip.reason, step.skip.message
        else:
            try:
                with transaction.atomic():
                    result.signing_request = _start(job, step)
                result.outcome = BulkSigningOutcome.STARTED
                assert step.signatory is not None
                result.message = _("Sent to %(name)s (%(email)s).") % {
                    "name": f"{step.signatory.first_name} {step.signatory.last_name}".strip(),
                    "email": step.signatory.email,
                }
            except ValidationError as error:
                result.outcome = BulkSigningOutcome.SKIPPED
                result.reason, result.message = refusal(error)
            except Exception:
                logger.exception("Bulk signing job %s failed for %s", job.pk, relationship.pk)
                result.outcome = BulkSigningOutcome.FAILED
                result.reason = "error"
                result.message = _("Something went wrong; send this customer a link again.")
        result.save()
        count_result(
            BulkSigningJob, job.pk, COUNTERS[BulkSigningOutcome(result.outcome)], relationship_id
        )


@task()
def run_job(job_id: int) -> str:
    """One batch of the job, then the next batch as a task of its own (other jobs get a turn)."""

    def process(job: BulkSigningJob, batch: list[int]) -> None:
        documents = selectors.documents_in_force()
        for relationship_id in batch:
            _process(job.pk, relationship_id, documents)

    return run_batch(BulkSigningJob, job_id, task=run_job, process=process, batch_size=BATCH_SIZE)


def recover() -> int:
    """Enqueue again the jobs that stopped moving (their task was lost or its worker died)."""
    return recover_stalled(BulkSigningJob, task=run_job, stalled_after=STALLED_AFTER)


background.register_recoverer(recover)
