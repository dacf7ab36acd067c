"""Signing links: start, resend and revoke a request (the partner's side); send and check the
one-time code, accept or decline (the signatory's side). Locks in customers.locks' order:
the customer first, then the request's row, the evidence chain last (record_acceptance)."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agreements.models import Acceptance, AcceptanceMethod, AgreementDocument, Channel
from agreements.services import (
    AttestationNotAllowed,
    Contact,
    DuplicateAttestation,
    SignatoryEvidence,
    record_acceptance,
    reseller_cannot_attest_message,
)
from agreements.validators import portal_today
from customers.locks import lock_customer, retry_on_conflict
from customers.models import Customer
from portal import outbox
from portal.hashing import hash_token, new_token
from portal.models import Partner, User
from signing import email as mail
from signing.models import (
    DEFAULT_EXPIRY_DAYS,
    MAX_EXPIRY_DAYS,
    OPEN_STATUSES,
    SigningRequest,
    SigningStatus,
)
from signing.signals import signing_declined

MAX_TOKEN_LENGTH = 100
CODE_DIGITS = 6
CODE_LIFETIME = datetime.timedelta(minutes=10)
CODE_TRIES = 5
# A new code no sooner than this after the last, and at most CODES_PER_WINDOW in a window.
CODE_RESEND_AFTER = datetime.timedelta(seconds=60)
CODES_PER_WINDOW = 5
CODES_WINDOW = datetime.timedelta(hours=1)
# How long the signing page stays usable after the code was verified.
PROOF_LIFETIME = datetime.timedelta(minutes=30)


class SigningError(ValidationError):
    """A signing request can't do what was asked (the message says why)."""


class SigningAlreadyOpen(SigningError):
    """A second open request for the same customer and signatory."""

    def __init__(self, message: str, *, open_request: SigningRequest) -> None:
        super().__init__(message, code="open")
        self.open_request = open_request


class AlreadyOnRecord(DuplicateAttestation):
    """The customer's acceptance of the version in force is on record for this partner:
    the API answers 600061 (PartnerConfirmedAgreementAlreadyExists) unless told to go on."""


class SigningNotOpen(SigningError):
    """The request is accepted, declined, expired or revoked."""


class SigningNotAccepted(SigningError):
    """POST …/agreements named an attestation whose signatory hasn't accepted (yet)."""


class CodeRefused(SigningError):
    """A wrong, expired or used-up one-time code."""


class CodeRateLimited(SigningError):
    """A new code was asked for too soon or too often."""


@dataclass(frozen=True)
class Signatory:
    first_name: str
    last_name: str
    email: str
    phone: object = ""
    job_title: str = ""


def find_by_token(token: str) -> SigningRequest | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return (
        SigningRequest.objects.select_related(
            "customer", "partner", "document", "document__template", "started_by"
        )
        .filter(token_hash=hash_token(token))
        .first()
    )


def on_record_for_version(
    customer: Customer, partner: Partner, document: AgreementDocument
) -> Acceptance | None:
    """The newest record that counts for this partner, if it is of the version in force."""
    latest = (
        Acceptance.objects.filter(customer=customer)
        .for_partner(partner)
        .order_by("-recorded_at", "-id")
        .only("template_id", "method", "first_name", "last_name", "date_agreed")
        .first()
    )
    if latest is not None and latest.template_id == document.template_id:
        return latest
    return None


def on_record_message(customer: Customer) -> str:
    return _(
        "Acceptance of this version of the Microsoft Customer Agreement is already on record "
        "for %(customer)s. A signing link asks the signatory to accept it again."
    ) % {"customer": customer.company_name}


def _expire_lapsed(customer: Customer, partner: Partner, now: datetime.datetime) -> None:
    """Store as expired what has run out, so the one-open rule counts only live links."""
    SigningRequest.objects.filter(customer=customer, partner=partner).lapsed(now).update(
        status=SigningStatus.EXPIRED, expired_at=now, code_hash="", proof_hash=""
    )


def open_duplicate_message(request: SigningRequest) -> str:
    return _(
        "A signing link for %(name)s (%(email)s) is already open for this customer: started "
        "%(created)s by %(agent)s, valid until %(expires)s (attestation ID %(id)s). Revoke or "
        "resend that one instead."
    ) % {
        "name": request.full_name,
        "email": request.email,
        "created": date_format(timezone.localtime(request.created_at), "DATETIME_FORMAT"),
        "agent": request.started_by.get_full_name() or request.started_by.email,
        "expires": date_format(timezone.localtime(request.expires_at), "DATETIME_FORMAT"),
        "id": request.public_id,
    }


@retry_on_conflict
def start_signing(
    *,
    customer: Customer,
    partner: Partner,
    started_by: User,
    signatory: Signatory,
    document: AgreementDocument,
    expires_in_days: int = DEFAULT_EXPIRY_DAYS,
    on_record_acknowledged: bool = False,
) -> tuple[SigningRequest, str]:
    """A new signing request and its raw token (shown once; only its hash is kept)."""
    if not partner.may_attest:
        raise AttestationNotAllowed(reseller_cannot_attest_message(partner), code="reseller")
    if not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
        raise SigningError(
            _("A signing link lives 1 to %(days)s days.") % {"days": MAX_EXPIRY_DAYS},
            code="expiry",
        )
    lock_customer(customer)
    now = timezone.now()
    _expire_lapsed(customer, partner, now)
    open_one = (
        SigningRequest.objects.filter(
            customer=customer,
            partner=partner,
            email__iexact=signatory.email.strip(),
            status__in=OPEN_STATUSES,
        )
        .select_related("started_by")
        .first()
    )
    if open_one is not None:
        raise SigningAlreadyOpen(open_duplicate_message(open_one), open_request=open_one)
    if not on_record_acknowledged and on_record_for_version(customer, partner, document):
        raise AlreadyOnRecord(on_record_message(customer), code="on_record")
    token = new_token()
    request = SigningRequest(
        customer=customer,
        partner=partner,
        started_by=started_by,
        first_name=signatory.first_name.strip(),
        last_name=signatory.last_name.strip(),
        email=signatory.email.strip(),
        phone=signatory.phone or "",
        job_title=signatory.job_title.strip(),
        country=document.country,
        language=document.language,
        document=document,
        token_hash=hash_token(token),
        created_at=now,
        expires_at=now + datetime.timedelta(days=expires_in_days),
    )
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as error:
        # Only on a database without the customer lock (SQLite serialises writers anyway).
        raise SigningError(
            _("A signing link for this signatory is already open."), code="open"
        ) from error
    return request, token


@retry_on_conflict
def resend_signing(*, request: SigningRequest, started_by: User) -> tuple[SigningRequest, str]:
    """A new link (a new request with a new token) for the same signatory; the old link dies."""
    lock_customer(request.customer_id)
    old = SigningRequest.objects.select_for_update().get(pk=request.pk)
    if old.status == SigningStatus.ACCEPTED:
        raise SigningNotOpen(
            _("The signatory has accepted already; there is nothing to resend."), code="accepted"
        )
    if old.replaced_by_id is not None:
        raise SigningNotOpen(
            _("A newer signing link already replaces this one; resend that one instead."),
            code="replaced",
        )
    now = timezone.now()
    if old.status in OPEN_STATUSES:
        status = SigningStatus.EXPIRED if old.expires_at <= now else SigningStatus.REVOKED
        SigningRequest.objects.filter(pk=old.pk).update(
            status=status,
            revoked_at=now if status == SigningStatus.REVOKED else None,
            expired_at=now if status == SigningStatus.EXPIRED else None,
            code_hash="",
            proof_hash="",
        )
    days = max(
        1, min(MAX_EXPIRY_DAYS, round((old.expires_at - old.created_at).total_seconds() / 86400))
    )
    new, token = start_signing(
        customer=old.customer,
        partner=old.partner,
        started_by=started_by,
        signatory=Signatory(old.first_name, old.last_name, old.email, old.phone, old.job_title),
        document=old.document,
        expires_in_days=days,
        on_record_acknowledged=True,
    )
    SigningRequest.objects.filter(pk=old.pk).update(replaced_by=new)
    return new, token


@retry_on_conflict
def revoke_signing(*, request: SigningRequest) -> SigningRequest:
    lock_customer(request.customer_id)
    locked = SigningRequest.objects.select_for_update().get(pk=request.pk)
    if not locked.can_revoke:
        raise SigningNotOpen(
            _("Only a pending or opened signing link can be revoked."), code="not_open"
        )
    now = timezone.now()
    SigningRequest.objects.filter(pk=locked.pk).update(
        status=SigningStatus.REVOKED, revoked_at=now, code_hash="", proof_hash=""
    )
    locked.status, locked.revoked_at = SigningStatus.REVOKED, now
    return locked


# What stands in the outbox's kept copy for a secret the message carried (R7).
MASK = "…"


@transaction.atomic
def send_link(*, request: SigningRequest, link: str) -> None:
    """Email the link to the signatory, in the request's language, through the outbox (sent
    once the caller commits). Sending it twice sends one email; the kept copy masks the
    link's token."""
    message = mail.link_email(request, link)
    outbox.queue(
        dedupe_key=f"signing:{request.pk}:link",
        to=message.to,
        subject=message.subject,
        body_text=message.body,
        kept_text=message.body.replace(link, link.rsplit("/", 2)[0] + "/" + MASK + "/"),
        language=request.language,
        partner_id=request.partner_id,
    )
    SigningRequest.objects.filter(pk=request.pk).update(sent_at=timezone.now())


# --- The signatory's side -------------------------------------------------------------------


def _require_open(request: SigningRequest) -> None:
    if not request.is_open:
        raise SigningNotOpen(_("This signing link is no longer open."), code="not_open")


def mark_opened(request: SigningRequest) -> None:
    if request.status == SigningStatus.PENDING and request.is_open:
        now = timezone.now()
        SigningRequest.objects.filter(pk=request.pk, status=SigningStatus.PENDING).update(
            status=SigningStatus.OPENED, opened_at=now
        )
        request.status, request.opened_at = SigningStatus.OPENED, now


def _code_hash(request: SigningRequest, code: str) -> str:
    """A keyed hash: six digits are a million guesses, so a plain hash of a stolen row would
    give the code away; this one needs SECRET_KEY too."""
    key = hashlib.sha256(b"mca-portal.signing-code" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, f"{request.public_id}:{code}".encode(), hashlib.sha256).hexdigest()


def code_wait(request: SigningRequest, now: datetime.datetime | None = None) -> int:
    """Seconds until a new code may be sent (0: now)."""
    now = now or timezone.now()
    waits = []
    if request.code_sent_at is not None:
        waits.append((request.code_sent_at + CODE_RESEND_AFTER - now).total_seconds())
    if (
        request.codes_window_start is not None
        and request.codes_sent >= CODES_PER_WINDOW
        and now < request.codes_window_start + CODES_WINDOW
    ):
        waits.append((request.codes_window_start + CODES_WINDOW - now).total_seconds())
    return max(0, int(max(waits, default=0)) + (1 if waits and max(waits) > 0 else 0))


@transaction.atomic
def send_code(*, request: SigningRequest) -> None:
    """A new six-digit code to the signatory's email (the old one dies), rate-limited."""
    locked = SigningRequest.objects.select_for_update().select_related("partner").get(pk=request.pk)
    _require_open(locked)
    now = timezone.now()
    wait = code_wait(locked, now)
    if wait:
        raise CodeRateLimited(
            _("A new code can be sent in %(seconds)s seconds.") % {"seconds": wait},
            code="rate",
        )
    window_start = locked.codes_window_start
    codes_sent = locked.codes_sent
    if window_start is None or now >= window_start + CODES_WINDOW:
        window_start, codes_sent = now, 0
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    SigningRequest.objects.filter(pk=locked.pk).update(
        code_hash=_code_hash(locked, code),
        code_expires_at=now + CODE_LIFETIME,
        code_tries=0,
        code_sent_at=now,
        codes_sent=codes_sent + 1,
        codes_window_start=window_start,
    )
    message = mail.code_email(locked, code)
    # Not held to the partner's email rate: the signatory is waiting for it, and codes have a
    # limit of their own. The kept copy masks the code.
    outbox.queue(
        dedupe_key=f"signing:{locked.pk}:code:{now.isoformat()}",
        to=message.to,
        subject=message.subject,
        body_text=message.body,
        kept_text=message.body.replace(code, MASK),
        language=locked.language,
    )
    request.code_sent_at = now
    request.code_expires_at = now + CODE_LIFETIME
    request.code_hash = "set"


def verify_code(*, request: SigningRequest, code: str) -> str:
    """Check the code; on success the proof the page carries on (shown once, kept hashed).
    A wrong try counts even though the call fails, so it is written in its own transaction."""
    with transaction.atomic():
        locked = SigningRequest.objects.select_for_update().get(pk=request.pk)
        _require_open(locked)
        now = timezone.now()
        if not locked.code_hash:
            problem = CodeRefused(_("There is no code to check. Send a new code."), code="no_code")
        elif locked.code_expires_at is None or locked.code_expires_at <= now:
            SigningRequest.objects.filter(pk=locked.pk).update(code_hash="")
            problem = CodeRefused(_("This code has expired. Send a new code."), code="expired")
        elif not hmac.compare_digest(locked.code_hash, _code_hash(locked, code.strip())):
            tries = locked.code_tries + 1
            if tries >= CODE_TRIES:
                SigningRequest.objects.filter(pk=locked.pk).update(code_hash="", code_tries=tries)
                problem = CodeRefused(
                    _(
                        "That code was wrong %(count)s times, so it no longer works. Send a new code."
                    )
                    % {"count": CODE_TRIES},
                    code="used_up",
                )
            else:
                SigningRequest.objects.filter(pk=locked.pk).update(code_tries=tries)
                problem = CodeRefused(
                    _("That code is not right. %(left)s tries left.")
                    % {"left": CODE_TRIES - tries},
                    code="wrong",
                )
        else:
            proof = new_token()
            SigningRequest.objects.filter(pk=locked.pk).update(
                code_hash="",
                code_verified_at=now,
                proof_hash=hash_token(proof),
                status=SigningStatus.OPENED,
                opened_at=locked.opened_at or now,
            )
            request.code_verified_at = now
            return proof
    raise problem


def proof_is_valid(request: SigningRequest, proof: str) -> bool:
    return bool(
        proof
        and request.proof_hash
        and request.code_verified_at is not None
        and timezone.now() < request.code_verified_at + PROOF_LIFETIME
        and hmac.compare_digest(request.proof_hash, hash_token(proof))
    )


def _locked_for_answer(request: SigningRequest, proof: str) -> SigningRequest:
    lock_customer(request.customer_id)
    locked = (
        SigningRequest.objects.select_for_update()
        .select_related("customer", "partner", "document", "document__template", "started_by")
        .get(pk=request.pk)
    )
    _require_open(locked)
    if not proof_is_valid(locked, proof):
        raise CodeRefused(
            _("Your code check has run out. Send a new code to continue."), code="no_proof"
        )
    return locked


def signature_matches(request: SigningRequest, typed: str) -> bool:
    """The typed signature is the signatory's full name (case and spacing aside)."""
    return " ".join(typed.split()).casefold() == " ".join(request.full_name.split()).casefold()


@retry_on_conflict
def accept_signing(
    *,
    request: SigningRequest,
    proof: str,
    phone: object,
    job_title: str,
    typed_signature: str,
    ip_address: str | None,
    user_agent: str,
) -> Acceptance:
    """The signatory accepts: one acceptance record, however many times this is posted."""
    locked = _locked_for_answer(request, proof)
    if not signature_matches(locked, typed_signature):
        raise SigningError(
            _("Type your full name, %(name)s, as your signature.") % {"name": locked.full_name},
            code="signature",
        )
    assert locked.code_verified_at is not None
    acceptance = record_acceptance(
        customer=locked.customer,
        partner=locked.partner,
        recorded_by=locked.started_by,
        method=AcceptanceMethod.SIGNATORY_ACCEPTANCE,
        channel=Channel.SIGNING_LINK,
        contact=Contact(locked.first_name, locked.last_name, locked.email, phone or ""),
        date_agreed=portal_today(),
        document=locked.document,
        ip_address=ip_address,
        user_agent=user_agent,
        signatory=SignatoryEvidence(
            attestation_id=str(locked.public_id),
            code_verified_at=locked.code_verified_at,
            job_title=job_title,
            typed_signature=" ".join(typed_signature.split()),
        ),
    )
    SigningRequest.objects.filter(pk=locked.pk).update(
        status=SigningStatus.ACCEPTED,
        accepted_at=acceptance.recorded_at,
        acceptance=acceptance,
        phone=phone or "",
        job_title=job_title.strip()[:100],
        proof_hash="",
    )
    return acceptance


@retry_on_conflict
def decline_signing(*, request: SigningRequest, proof: str, reason: str) -> None:
    locked = _locked_for_answer(request, proof)
    answer = {
        "status": SigningStatus.DECLINED,
        "declined_at": timezone.now(),
        "decline_reason": reason.strip()[:2000],
        "proof_hash": "",
    }
    SigningRequest.objects.filter(pk=locked.pk).update(**answer)
    for name, value in answer.items():
        setattr(locked, name, value)
    signing_declined.send(sender=SigningRequest, signing_request=locked)
