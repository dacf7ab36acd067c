"""Scoped reads of signing requests: an agent reaches only its own partner's (R4)."""

from __future__ import annotations

import datetime
import uuid

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Acceptance, AgreementDocument
from agreements.services import AttestationUnknown
from customers.models import AgreementStatus, Customer, Relationship
from portal.models import Partner, User
from signing.models import (
    MAX_EXPIRY_DAYS,
    OPEN_STATUSES,
    FramingSettings,
    SigningRequest,
    SigningStatus,
)

PANEL_ROWS = 10


def requests_of(partner: Partner | int | None) -> QuerySet[SigningRequest]:
    """A partner's requests (none for no partner: not an agent)."""
    partner_id = partner.pk if isinstance(partner, Partner) else partner
    if partner_id is None:
        return SigningRequest.objects.none()
    return SigningRequest.objects.filter(partner_id=partner_id)


def get_request_for(user: User, public_id: uuid.UUID | str) -> SigningRequest:
    """The agent's partner's request, else 404."""
    try:
        return (
            requests_of(user.partner_id)
            .select_related(
                "customer", "partner", "started_by", "document", "document__template", "acceptance"
            )
            .get(public_id=public_id)
        )
    except (SigningRequest.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def panel_rows(customer: Customer, partner: Partner) -> list[SigningRequest]:
    """Account info: the newest requests of this partner for this customer (one query)."""
    return list(
        requests_of(partner)
        .filter(customer=customer)
        .select_related("started_by")
        .order_by("-created_at", "-id")[: PANEL_ROWS + 1]
    )


def documents_in_force() -> list[AgreementDocument]:
    """The document of the version in force for each country and language (one query)."""
    best: dict[tuple[str, str], AgreementDocument] = {}
    top: dict[str, int] = {}
    for document in (
        AgreementDocument.objects.published()
        .select_related("template")
        .order_by("country", "-template__version_rank", "language")
    ):
        code = document.country.code
        rank = top.setdefault(code, document.template.version_rank)
        if document.template.version_rank == rank:
            best.setdefault((code, document.language), document)
    return list(best.values())


def default_document(
    customer: Customer, documents: list[AgreementDocument]
) -> AgreementDocument | None:
    """Of the documents in force, the one for the customer's country in its language (the
    country's first language when the customer's isn't published there); None when no
    agreement is published for the country."""
    same_country = [d for d in documents if d.country.code == customer.country.code]
    for document in same_country:
        if document.language.split("-")[0].lower() == (customer.language or "").lower():
            return document
    return same_country[0] if same_country else None


def document_in_force(country: str, language: str) -> AgreementDocument | None:
    """The version in force for the country, in that language, if published in it."""
    latest = AgreementDocument.objects.latest_for(country)
    if latest is None:
        return None
    return (
        AgreementDocument.objects.published()
        .select_related("template")
        .filter(template=latest.template, country=country, language=language)
        .first()
    )


def languages_for(country: str) -> list[str]:
    latest = AgreementDocument.objects.latest_for(country)
    if latest is None:
        return []
    return list(
        AgreementDocument.objects.filter(template=latest.template, country=country)
        .order_by("language")
        .values_list("language", flat=True)
    )


def frame_origins(partner_id: int) -> list[str]:
    framing = FramingSettings.objects.filter(partner_id=partner_id).first()
    return framing.origins if framing else []


def acceptance_for_attestation(
    customer: Customer, partner: Partner, attestation_id: str
) -> Acceptance:
    """agreements' attestation lookup (POST …/agreements with an attestationId): the record
    the accepted request made, so nothing is recorded twice."""
    from signing.services import SigningNotAccepted

    request = (
        SigningRequest.objects.filter(
            public_id=attestation_id, customer=customer, partner_id=partner.pk
        )
        .select_related(
            "acceptance", "acceptance__template", "acceptance__partner", "acceptance__recorded_by"
        )
        .first()
    )
    if request is None:
        raise AttestationUnknown(
            _("No attestation with this id for this customer."), code="unknown"
        )
    if request.status != SigningStatus.ACCEPTED or request.acceptance is None:
        raise SigningNotAccepted(
            _("The signatory hasn't accepted this attestation: its status is %(status)s.")
            % {"status": request.effective_status},
            code="not_accepted",
        )
    return request.acceptance


# The dashboard queue's signing links that need the partner: declined, run out or revoked
# lately, not already resent, for a customer not on record since.
ATTENTION_DAYS = 30
ATTENTION_ROWS = 10


def needing_attention(
    partner: Partner, now: datetime.datetime | None = None
) -> list[SigningRequest]:
    """Links of the partner declined, expired or revoked in the last ATTENTION_DAYS that no
    newer link replaces and whose customer is not on record now with the partner (or, for a
    provider, a reseller): declined first, then expired, then revoked, newest first
    in each; at most ATTENTION_ROWS + 1 (one more tells there are more). One query, a range
    of ``signing_attention_idx``: every such link was started within ATTENTION_DAYS +
    MAX_EXPIRY_DAYS (declined, revoked and expired all happen by its expiry)."""
    return list(attention_requests(partner, now)[: ATTENTION_ROWS + 1])


def attention_requests(
    partner: Partner, now: datetime.datetime | None = None
) -> QuerySet[SigningRequest]:
    now = now or timezone.now()
    since = now - datetime.timedelta(days=ATTENTION_DAYS)
    declined = Q(status=SigningStatus.DECLINED, declined_at__gte=since)
    expired = Q(status__in=OPEN_STATUSES, expires_at__lte=now, expires_at__gte=since) | Q(
        status=SigningStatus.EXPIRED, expires_at__gte=since
    )
    revoked = Q(status=SigningStatus.REVOKED, revoked_at__gte=since)
    on_record = Relationship.objects.filter(
        customer_id=OuterRef("customer_id"),
        agreement_status__in=[AgreementStatus.ATTESTED, AgreementStatus.ACCEPTED],
    ).filter(Q(partner_id=partner.pk) | Q(partner__provider_id=partner.pk))
    # Most urgent first: the signatory said no; the link ran out unanswered; the partner
    # itself revoked it.
    urgency = Case(
        When(status=SigningStatus.DECLINED, then=Value(0)),
        When(status=SigningStatus.REVOKED, then=Value(2)),
        default=Value(1),
    )
    return (
        requests_of(partner)
        .exclude(status=SigningStatus.ACCEPTED)
        .filter(
            declined | expired | revoked,
            replaced_by__isnull=True,
            created_at__gte=since - datetime.timedelta(days=MAX_EXPIRY_DAYS),
        )
        .exclude(Exists(on_record))
        .select_related("customer")
        .annotate(urgency=urgency)
        .order_by("urgency", "-created_at", "-id")
    )
