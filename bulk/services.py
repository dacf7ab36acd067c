"""Bulk attestation: checking rows (the preview and the job alike), creating and running jobs.

A row is checked in two steps, both shared with the single attestation: its columns by the
web form's fields (R1 among them), the customer in the agent's scope (R4: another partner's
tenant is "not found", never revealed), then ``agreements.services.record_acceptances`` —
the version rule, the document, 600061 — without writing (the preview) or writing (the job).

An indirect reseller never attests (R3): its file, checked the same way, asks its provider to
attest for each valid row instead (``agreements.services.request_attestations``, a batch at a
time); a row whose customer has an acceptance on record already, or a request open already,
is skipped.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import IO, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from phonenumber_field.phonenumber import PhoneNumber

from agreements.forms import date_accepted_field
from agreements.models import (
    Acceptance,
    AgreementTemplate,
    AgreementType,
    AttestationRequest,
    Channel,
)
from agreements.selectors import nothing_to_ask
from agreements.services import (
    Attestation,
    AttestationNotAllowed,
    Contact,
    DuplicateAttestation,
    contact_formfield,
    record_acceptances,
    request_attestations,
    reseller_cannot_attest_message,
)
from agreements.validators import one_today
from bulk.csvfiles import FileRefused, read_rows
from bulk.models import FINISHED, BulkJob, BulkRow, Kind, Mode, Outcome, Source, Status
from customers.models import Customer
from customers.selectors import customers_for
from portal import background
from portal.batch_updates import insert_rows, update_rows
from portal.dates import iso_dates
from portal.forms import ContactPhoneField
from portal.models import Partner, PartnerKind, User

logger = logging.getLogger(__name__)

BATCH_SIZE = 1_000
# A file's first data row (its header is row 1); the API's items start at 1.
FIRST_ROW = 2
# A running job that has shown no progress for this long lost its worker.
STALE_AFTER = datetime.timedelta(seconds=60)

INVALID_INPUT = 800002
NOT_FOUND = 60003
ALREADY_EXISTS = 600061
RESELLER = 900123


class _CheckedPhoneNumber(PhoneNumber):
    """A row's phone number whose validity and text are worked out once: the row form's
    validators, the duplicate check, the record's statement and its database value each ask
    (ten times a row, the costliest part of checking one otherwise). Never changed once made."""

    _valid: bool | None = None
    _text: str | None = None

    def is_valid(self) -> bool:
        if self._valid is None:
            self._valid = super().is_valid()
        return self._valid

    def __str__(self) -> str:
        if self._text is None:
            self._text = super().__str__()
        return self._text


class _RowPhoneNumberField(ContactPhoneField):
    """The web form's phone field (the same parsing and validators), its numbers checked once."""

    def to_python(self, value: object) -> object:
        phone = super().to_python(value)
        if not isinstance(phone, PhoneNumber):
            return phone
        checked = _CheckedPhoneNumber()
        checked.merge_from(phone)
        return checked


class RowForm(forms.Form):
    """One row's columns, held to the web form's rules. The contact's fields are the record's
    own (``contact_formfield``: its columns' validators), so the records written from the rows
    are not validated a second time (``record_acceptances(contacts_cleaned=True)``)."""

    tenant_id = forms.UUIDField(required=False)
    domain = forms.CharField(required=False, max_length=255)
    first_name = contact_formfield("first_name")
    last_name = contact_formfield("last_name")
    email = contact_formfield("email")
    phone = contact_formfield("phone", form_class=_RowPhoneNumberField)
    date_agreed = date_accepted_field()
    template_id = forms.UUIDField(required=False)


COLUMN_NAMES = {
    "tenant_id": "TenantId",
    "domain": "Domain",
    "first_name": "FirstName",
    "last_name": "LastName",
    "email": "Email",
    "phone": "PhoneNumber",
    "date_agreed": "DateAgreed",
    "template_id": "TemplateId",
}


@dataclass
class Checked:
    """A row after its check: what it would record, or its error code and message."""

    number: int
    attestation: Attestation | None = None
    code: int | None = None
    message: str = ""
    # The customer the row named in the agent's scope, valid or not.
    customer_id: int | None = None
    # The record written for it (a job's batch).
    acceptance: Acceptance | None = None
    # A request job's row: the request made for it, or skipped (nothing to ask; ``message``
    # says why).
    request: AttestationRequest | None = None
    skipped: bool = False

    @property
    def done(self) -> bool:
        return self.acceptance is not None or self.request is not None

    def skip(self, message: str) -> None:
        self.attestation, self.skipped, self.message = None, True, message


class _CleanedRow:
    """A row cleaned by RowForm's fields and its clean(), without building a form a row (a
    form deep-copies its fields each time: most of a row's cost)."""

    def __init__(self) -> None:
        self.cleaned_data: dict[str, Any] = {}
        self.errors: dict[str, list[str]] = {}


_ROW_FIELDS = RowForm.base_fields
# Columns whose values repeat down a file (most rows share a few dates and versions): each
# distinct value is cleaned once a batch (one today a batch: its cleaning can't change).
_REPEATING = {"date_agreed", "template_id"}


def _clean_row(values: dict, cleaned: dict[tuple[str, str], Any]) -> _CleanedRow:
    """One row cleaned by RowForm's fields; ``cleaned`` holds the batch's repeating values
    cleaned so far (a value, or the ValidationError it raised)."""
    row = _CleanedRow()
    for name, field in _ROW_FIELDS.items():
        raw = values.get(name, "")
        try:
            if name in _REPEATING:
                key = (name, raw)
                if key not in cleaned:
                    try:
                        cleaned[key] = field.clean(raw)
                    except ValidationError as error:
                        cleaned[key] = error
                outcome = cleaned[key]
                if isinstance(outcome, ValidationError):
                    raise outcome
                row.cleaned_data[name] = outcome
            else:
                row.cleaned_data[name] = field.clean(raw)
        except ValidationError as error:
            row.errors[name] = list(error.messages)
    data = row.cleaned_data
    if not row.errors.keys() & {"tenant_id", "domain"} and not (
        data.get("tenant_id") or data.get("domain")
    ):
        row.errors["__all__"] = [_("Give the customer's TenantId or Domain.")]
    return row


def _form_message(form: _CleanedRow) -> str:
    return " ".join(
        f"{COLUMN_NAMES[field]}: {message}" if field != "__all__" else str(message)
        for field, messages in form.errors.items()
        for message in messages
    )


def _error_code(error: ValidationError) -> int:
    return ALREADY_EXISTS if isinstance(error, DuplicateAttestation) else INVALID_INPUT


def kind_for(partner: Partner) -> str:
    """What a partner's file does: attest, or (an indirect reseller, R3) ask its provider to."""
    return Kind.ATTESTATION if partner.may_attest else Kind.REQUEST


class Scope:
    """The agent's customers (R4), the published versions and, for a job's rows, the rows of
    the job before a batch that named the same customers: each looked up a batch at a time."""

    def __init__(self, user: User, kind: str | None = None, job: BulkJob | None = None) -> None:
        if user.partner is None:
            raise ValueError("Only an agent's rows are checked.")
        self.user = user
        self.partner: Partner = user.partner
        self.kind = kind or kind_for(self.partner)
        self.job = job

    def first_rows(self, customer_ids: set[int], before: int) -> dict[int, int]:
        """Each of these customers' first row in the job before row ``before`` (stored as
        the job's earlier batches found them). None before the first batch's: no query."""
        if self.job is None or not customer_ids or before <= FIRST_ROW:
            return {}
        return dict(
            self.job.rows.filter(customer_id__in=customer_ids, number__lt=before)
            .order_by()
            .values("customer_id")
            .annotate(first=Min("number"))
            .values_list("customer_id", "first")
        )

    def customers(self, tenant_ids: set, domains: set[str]) -> tuple[dict, dict]:
        if not tenant_ids and not domains:
            return {}, {}
        matches = (
            customers_for(self.user)
            .filter(Q(tenant_id__in=tenant_ids) | Q(domain__in=domains))
            # What a record and its document need of the customer, and no more.
            .only("tenant_id", "domain", "country", "company_name")
        )
        by_tenant: dict = {}
        by_domain: dict = {}
        for customer in matches:
            by_tenant[customer.tenant_id] = customer
            by_domain[customer.domain.lower()] = customer
        return by_tenant, by_domain

    def templates(self, template_ids: set) -> dict:
        if not template_ids:
            return {}
        return {
            template.template_id: template
            for template in AgreementTemplate.objects.published().filter(
                agreement_type=AgreementType.MCA, template_id__in=template_ids
            )
        }


@one_today()
def check_rows(
    rows: list[tuple[int, dict]], scope: Scope, *, write_job: BulkJob | None = None
) -> list[Checked]:
    """Each row's check (a list of Checked, in order), all against one today (R1). With
    ``write_job`` the valid rows are recorded, as that job's, in the caller's transaction."""
    repeating: dict[tuple[str, str], Any] = {}
    forms_ = [(number, _clean_row(values, repeating)) for number, values in rows]
    tenant_ids = {
        f.cleaned_data["tenant_id"] for _n, f in forms_ if f.cleaned_data.get("tenant_id")
    }
    domains = {f.cleaned_data["domain"].lower() for _n, f in forms_ if f.cleaned_data.get("domain")}
    template_ids = {
        f.cleaned_data["template_id"] for _n, f in forms_ if f.cleaned_data.get("template_id")
    }
    by_tenant, by_domain = scope.customers(tenant_ids, domains)
    templates = scope.templates(template_ids)
    earlier = scope.first_rows(
        {customer.pk for customer in by_tenant.values()}
        | {customer.pk for customer in by_domain.values()},
        before=rows[0][0] if rows else 0,
    )
    checked: list[Checked] = []
    for number, form in forms_:
        result = Checked(number)
        checked.append(result)
        if form.errors:
            result.code, result.message = INVALID_INPUT, _form_message(form)
            continue
        data = form.cleaned_data
        customer: Customer | None = None
        if data.get("tenant_id"):
            customer = by_tenant.get(data["tenant_id"])
        if data.get("domain"):
            by_name = by_domain.get(data["domain"].lower())
            if customer is not None and by_name is not None and by_name != customer:
                result.code = INVALID_INPUT
                result.message = _("TenantId and Domain name two different customers.")
                continue
            customer = customer or by_name
            if data.get("tenant_id") and by_name is None:
                customer = None
        if customer is None:
            result.code, result.message = NOT_FOUND, _("No such customer.")
            continue
        result.customer_id = customer.pk
        template = None
        if data.get("template_id"):
            template = templates.get(data["template_id"])
            if template is None:
                result.code = INVALID_INPUT
                result.message = _(
                    "TemplateId: no published version of the Microsoft Customer Agreement has "
                    "this ID."
                )
                continue
        first = earlier.setdefault(customer.pk, number)
        if first != number:
            result.code = INVALID_INPUT
            result.message = _("This customer is already in row %(row)s of this file.") % {
                "row": first
            }
            continue
        result.attestation = Attestation(
            customer=customer,
            contact=Contact(
                data["first_name"], data["last_name"], data["email"], data["phone"] or ""
            ),
            date_agreed=data["date_agreed"],
            template=template,
        )
    valid = [result for result in checked if result.attestation is not None]
    if valid and scope.kind == Kind.REQUEST:
        _check_requests(valid, scope, write_job)
    elif valid:
        outcomes = record_acceptances(
            [result.attestation for result in valid],  # type: ignore[misc]
            partner=scope.partner,
            recorded_by=write_job.created_by if write_job else scope.user,
            channel=Channel.BULK,
            bulk_job=write_job.public_id if write_job else None,
            write=write_job is not None,
            contacts_cleaned=True,
        )
        for result, outcome in zip(valid, outcomes, strict=True):
            if isinstance(outcome, ValidationError):
                result.attestation = None
                result.code, result.message = _error_code(outcome), " ".join(outcome.messages)
            elif write_job is not None:
                result.acceptance = outcome
    return checked


def _check_requests(valid: list[Checked], scope: Scope, write_job: BulkJob | None) -> None:
    """A reseller's valid rows: skipped where there is nothing to ask (two queries for the
    batch), else with ``write_job`` the provider is asked, in the caller's transaction."""
    reseller = scope.partner
    on_record, asked = nothing_to_ask(
        [result.attestation.customer.pk for result in valid],  # type: ignore[union-attr]
        reseller,
    )
    to_ask: list[Checked] = []
    for result in valid:
        customer = result.attestation.customer  # type: ignore[union-attr]
        if customer.pk in on_record:
            result.skip(
                _(
                    "Acceptance of the Microsoft Customer Agreement is already on record for "
                    "this customer: there is nothing to ask your provider."
                )
            )
        elif customer.pk in asked:
            result.skip(
                _("%(provider)s has been asked to attest for this customer already.")
                % {"provider": reseller.provider.name if reseller.provider else ""}
            )
        else:
            to_ask.append(result)
    if write_job is None or not to_ask:
        return
    requests = request_attestations(
        [result.attestation.customer for result in to_ask],  # type: ignore[union-attr]
        reseller=reseller,
        requested_by=write_job.created_by,
    )
    for result in to_ask:
        request = requests[result.attestation.customer.pk]  # type: ignore[union-attr]
        if isinstance(request, ValidationError):
            # On record since the look above: nothing to ask after all.
            result.skip(" ".join(request.messages))
        else:
            result.request = request
            result.message = _("%(provider)s has been asked to attest for this customer.") % {
                "provider": request.provider.name
            }


def _batches(iterable: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in iterable:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def refuse_resellers(user: User) -> None:
    partner = user.partner
    if partner is not None and partner.kind == PartnerKind.INDIRECT_RESELLER:
        raise AttestationNotAllowed(reseller_cannot_attest_message(partner), code="reseller")


@transaction.atomic
def create_job(
    *,
    user: User,
    rows: Iterable[tuple[int, dict]],
    source: str,
    mode: str = Mode.ALL_OR_NOTHING,
    filename: str = "",
    start: bool = False,
    kind: str | None = None,
) -> BulkJob:
    """A job for these rows, each checked now (the preview) and stored with its finding.
    The web's job waits as a draft for the agent to choose its mode; the API's starts at once.
    ``kind`` is the partner's (kind_for) unless given; a reseller's rows that have nothing to
    ask are skipped from the start. Raises FileRefused (the transaction rolls back: nothing is
    written)."""
    if user.partner is None:
        raise ValueError("Only an agent's rows are checked.")
    kind = kind or kind_for(user.partner)
    if kind == Kind.ATTESTATION:
        refuse_resellers(user)
    elif not user.partner.is_reseller:
        raise ValueError("Only an indirect reseller asks its provider to attest.")
    job = BulkJob.objects.create(
        partner=user.partner,
        created_by=user,
        source=source,
        kind=kind,
        mode=mode if kind == Kind.ATTESTATION else Mode.VALID_ONLY,
        filename=filename[:255],
        language=translation.get_language() or "en",
    )
    scope = Scope(user, kind, job)
    total = valid = to_skip = 0
    for batch in _batches(rows, BATCH_SIZE):
        checked = check_rows(batch, scope)
        insert_rows(
            BulkRow,
            _STORED,
            [
                (
                    job.pk,
                    number,
                    result.code,
                    result.message,
                    Outcome.SKIPPED.value if result.skipped else Outcome.PENDING.value,
                    result.customer_id,
                    *(values.get(name, "")[:limit] for name, limit in _LIMITS.items()),
                )
                for (number, values), result in zip(batch, checked, strict=True)
            ],
        )
        total += len(batch)
        valid += sum(1 for result in checked if result.code is None and not result.skipped)
        to_skip += sum(1 for result in checked if result.skipped)
    if total == 0:
        raise FileRefused(_("The file has no rows below its header."))
    job.total, job.valid, job.to_skip = total, valid, to_skip
    job.save(update_fields=["total", "valid", "to_skip"])
    if start:
        start_job(job, mode)
    return job


_LIMITS: dict[str, int] = {
    name: getattr(BulkRow._meta.get_field(name), "max_length", 0) for name in BulkRow.INPUT_FIELDS
}
# A stored row's columns, as create_job writes them.
_STORED = ["job", "number", "code", "message", "outcome", "customer", *_LIMITS]


def create_job_from_file(*, user: User, upload: IO[bytes], filename: str) -> BulkJob:
    return create_job(user=user, rows=read_rows(upload), source=Source.WEB, filename=filename)


def start_job(job: BulkJob, mode: str) -> None:
    """The agent chose the mode: the job is queued, its task enqueued with this transaction.
    A request job asks for every valid row (its mode is valid rows only); the rows its preview
    skipped are done."""
    job.mode = mode if job.kind == Kind.ATTESTATION else Mode.VALID_ONLY
    job.status = Status.QUEUED
    job.skipped = job.to_skip
    job.heartbeat = timezone.now()
    job.save(update_fields=["mode", "status", "skipped", "heartbeat"])
    from bulk.tasks import run_job

    background.enqueue(run_job, job.pk)


def request_cancel(job: BulkJob) -> None:
    """Stop after the batch in progress; rows not yet written are not attempted."""
    BulkJob.objects.filter(pk=job.pk).exclude(status__in=FINISHED).update(cancel_requested=True)


# --- Running a job ----------------------------------------------------------------------


def _finish(job: BulkJob, status: str) -> None:
    """Rows left are not attempted; the job is finished."""
    now = timezone.now()
    job.rows.filter(outcome=Outcome.PENDING).update(outcome=Outcome.NOT_ATTEMPTED)
    job.status, job.completed_at, job.heartbeat = status, now, now
    job.save(update_fields=["status", "completed_at", "heartbeat"])


def _claim(job_id: int) -> BulkJob | None:
    """The job, locked, if there is work left in it (the lock keeps two workers apart)."""
    # Only the job's row is locked: its partner and author are read, never held.
    job = (
        BulkJob.objects.select_for_update(of=("self",))
        .select_related("partner", "created_by__partner")
        .get(pk=job_id)
    )
    if job.status in FINISHED or job.status == Status.DRAFT:
        return None
    return job


@dataclass
class _Row:
    """A stored row as a batch reads it (its id, its number, its input), and its outcome."""

    pk: int
    number: int
    values: dict
    outcome: str = Outcome.PENDING
    acceptance_id: int | None = None
    code: int | None = None
    message: str = ""

    def as_update(self) -> tuple:
        return (self.pk, self.outcome, self.acceptance_id, self.code, self.message)


_UPDATED = ["outcome", "acceptance", "code", "message"]


def _rows(rows: QuerySet[BulkRow]) -> list[_Row]:
    """The batch of ``rows`` (a queryset, ordered, sliced), read as plain values."""
    return [
        _Row(pk, number, dict(zip(BulkRow.INPUT_FIELDS, values, strict=True)))
        for pk, number, *values in rows.values_list("pk", "number", *BulkRow.INPUT_FIELDS)
    ]


def _pending_rows(job: BulkJob) -> list[_Row]:
    return _rows(job.rows.filter(outcome=Outcome.PENDING).order_by("number")[:BATCH_SIZE])


def _check_everything(job: BulkJob, scope: Scope) -> int:
    """All or nothing, before the first write: check every row as it stands now; a job with a
    problem is failed with its rows' findings, and nothing is written. The problems found."""
    problems = 0
    after = 0
    failures: list[_Row] = []
    while True:
        rows = _rows(job.rows.filter(number__gt=after).order_by("number")[:BATCH_SIZE])
        if not rows:
            break
        after = rows[-1].number
        checked = check_rows([(row.number, row.values) for row in rows], scope)
        for row, result in zip(rows, checked, strict=True):
            if result.code is not None:
                problems += 1
                row.outcome, row.code, row.message = Outcome.FAILED, result.code, result.message
                failures.append(row)
    update_rows(BulkRow, _UPDATED, [row.as_update() for row in failures])
    return problems


def _dates_for(job: BulkJob) -> AbstractContextManager:
    """A job started through the API writes its rows' dates as the API does (ISO 8601); one
    from the web, in the agent's language, as its preview did."""
    return iso_dates() if job.source == Source.API else nullcontext()


def run_batch(job_id: int) -> bool:
    """One batch of the job in one transaction: its rows' evidence and outcomes commit together.
    False once there is nothing left to do. Nothing is carried from batch to batch: a run that
    resumes after a crash is a run like any other."""
    with transaction.atomic():
        job = _claim(job_id)
        if job is None:
            return False
        with translation.override(job.language), _dates_for(job):
            now = timezone.now()
            if job.status == Status.QUEUED:
                job.status, job.started_at = Status.RUNNING, job.started_at or now
            if job.cancel_requested:
                _finish(job, Status.CANCELLED)
                return False
            if job.kind != kind_for(job.partner) or (
                job.kind == Kind.REQUEST and job.partner.provider_id is None
            ):
                # The partner's kind changed since the upload.
                if job.kind == Kind.ATTESTATION:
                    message = reseller_cannot_attest_message(job.partner)
                    _fail_all(job, RESELLER, message)
                else:
                    message = _("Only an indirect reseller asks its provider to attest.")
                    _fail_all(job, INVALID_INPUT, message)
                return False
            if job.mode == Mode.ALL_OR_NOTHING and not job.checked:
                problems = _check_everything(job, Scope(job.created_by, job.kind, job))
                if problems:
                    job.failed = problems
                    job.save(update_fields=["failed"])
                    _finish(job, Status.FAILED)
                    return False
                job.checked = True
            rows = _pending_rows(job)
            if not rows:
                job.save()
                _finish(job, Status.COMPLETED)
                return False
            scope = Scope(job.created_by, job.kind, job)
            checked = check_rows([(row.number, row.values) for row in rows], scope, write_job=job)
            for row, result in zip(rows, checked, strict=True):
                if result.done:
                    row.outcome, row.code, row.message = Outcome.SUCCEEDED, None, result.message
                    row.acceptance_id = result.acceptance.pk if result.acceptance else None
                    job.succeeded += 1
                elif result.skipped:
                    row.outcome, row.code, row.message = Outcome.SKIPPED, None, result.message
                    job.skipped += 1
                else:
                    row.outcome, row.code, row.message = (
                        Outcome.FAILED,
                        result.code,
                        result.message,
                    )
                    job.failed += 1
            update_rows(BulkRow, _UPDATED, [row.as_update() for row in rows])
            job.heartbeat = timezone.now()
            job.save()
            return True


def _fail_all(job: BulkJob, code: int, message: str) -> None:
    pending = job.rows.filter(outcome=Outcome.PENDING)
    job.failed += pending.count()
    pending.update(outcome=Outcome.FAILED, code=code, message=message)
    job.save()
    _finish(job, Status.FAILED)


def run_job(job_id: int) -> None:
    """Every batch of the job, each committed on its own; safe to run again after a crash."""
    try:
        while run_batch(job_id):
            pass
    except Exception:
        logger.exception("Bulk job %s failed", job_id)
        with transaction.atomic():
            job = _claim(job_id)
            if job is not None:
                _finish(job, Status.FAILED)
        raise


def recover_jobs() -> int:
    """portal.background's recoverer: jobs queued or running whose worker has shown no sign of
    life for STALE_AFTER are enqueued again; they resume from their first unfinished row."""
    from bulk.tasks import run_job as task

    stale = timezone.now() - STALE_AFTER
    ids = list(
        BulkJob.objects.filter(
            status__in=[Status.QUEUED, Status.RUNNING], heartbeat__lt=stale
        ).values_list("pk", flat=True)[:100]
    )
    for pk in ids:
        with transaction.atomic():
            BulkJob.objects.filter(pk=pk).update(heartbeat=timezone.now())
            background.enqueue(task, pk)
    return len(ids)


def public_id_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
