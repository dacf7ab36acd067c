"""Reads of agreements: the document a customer is shown, the record that counts for a
partner, and whether a country has a published agreement at all."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, CharField, ExpressionWrapper, F, Q, QuerySet
from django.utils.translation import gettext as _

from agreements.models import (
    Acceptance,
    AgreementDocument,
    AgreementTemplate,
    AgreementType,
    AttestationRequest,
)
from agreements.validators import portal_today
from customers.models import Customer
from portal.models import Partner


class NoAgreementDocument(ValidationError):
    """No agreement document is published for the customer's country."""


def unpublished_country_problem(country: str) -> str | None:
    """Why a new customer can't be in this country, or None: with no agreement published
    there, it could neither accept one nor have its acceptance recorded (so never order).
    Registered with customers.services as a rule for every new customer."""
    if AgreementDocument.objects.latest_for(str(country)) is None:
        return str(
            _(
                "No Microsoft Customer Agreement is published for this country yet, so the "
                "customer can neither accept it nor have its acceptance recorded. Ask an "
                "operator to publish it."
            )
        )
    return None


def prefers(language: str, preferred: str | None) -> bool:
    """Whether a document's language tag (cs-CZ) is in the preferred language (cs or cs-CZ)."""
    if not preferred:
        return False
    wanted = preferred.lower()
    tag = language.lower()
    return tag == wanted or tag.split("-")[0] == wanted.split("-")[0]


def pick_language(
    documents: list[AgreementDocument], preferred: str | None
) -> AgreementDocument | None:
    """Of one version's documents for a country, the one in the preferred language (an exact
    tag first, then the same language), else the first by its tag; None when there are none."""
    if not documents:
        return None
    if preferred:
        for document in documents:
            if document.language.lower() == preferred.lower():
                return document
        for document in documents:
            if prefers(document.language, preferred):
                return document
    return documents[0]


def documents_for(
    country: str, template: AgreementTemplate | None = None
) -> list[AgreementDocument]:
    """The published documents of a version for a country, one a language, by tag: the given
    version's, else the latest there (the languages a form offers for that country)."""
    documents = (
        AgreementDocument.objects.published()
        .filter(country=country)
        .select_related("template")
        .order_by("-template__version_rank", "language")
    )
    if template is not None:
        documents = documents.filter(template=template)
    else:
        documents = documents.filter(template__agreement_type=AgreementType.MCA)
    found: list[AgreementDocument] = []
    # One query: the highest rank's rows come first; stop at the next rank.
    for document in documents:
        if found and document.template_id != found[0].template_id:
            break
        found.append(document)
    return found


def document_for(
    customer: Customer,
    template: AgreementTemplate | None = None,
    language: str | None = None,
) -> AgreementDocument:
    """The document a customer is shown: of the given template, else the latest for its
    country; either only once published (a scheduled version is no document yet). In
    ``language`` when asked for (NoAgreementDocument if that version has no document in it),
    else in the customer's language where there is one, else the first by its tag."""
    return choose_document(customer, documents_for(customer.country.code, template), language)


def choose_document(
    customer: Customer, documents: list[AgreementDocument], language: str | None = None
) -> AgreementDocument:
    """``document_for`` of one version's documents for the customer's country, read already."""
    if language:
        document = next(
            (item for item in documents if item.language.lower() == language.lower()), None
        )
        if document is None and documents:
            raise NoAgreementDocument(
                _(
                    "Version %(version)s of the agreement for %(country)s is not published in "
                    "%(language)s."
                )
                % {
                    "version": documents[0].template.version_rank,
                    "country": customer.country.name,
                    "language": language,
                },
                code="no_language",
            )
    else:
        # The customer's language as loaded: a batch that loads customers without it (bulk
        # attestation's .only()) gets the first by tag, and no query a row to fetch it.
        document = pick_language(documents, customer.__dict__.get("language"))
    if document is None:
        raise NoAgreementDocument(
            _("No agreement document is published for %(country)s.")
            % {"country": customer.country.name},
            code="no_document",
        )
    return document


def version_in_force(country: str, on: datetime.date) -> AgreementTemplate | None:
    """The version a customer in this country was shown on that date: the latest then."""
    document = AgreementDocument.objects.latest_for(country, as_of=on)
    return document.template if document is not None else None


def first_publication(country: str) -> datetime.date | None:
    """When the first version with a document for this country was published, if yet."""
    return (
        AgreementTemplate.objects.published()
        .filter(documents__country=country, agreement_type=AgreementType.MCA)
        .order_by("published_on")
        .values_list("published_on", flat=True)
        .first()
    )


def record_in_history(
    customer: Customer, partner: Partner, record_id: uuid.UUID | str
) -> Acceptance | None:
    """One record of the history this partner sees (Account info, the API), or None: the
    receipt of anything else is not found."""
    return Acceptance.objects.history(customer, partner).filter(public_id=record_id).first()


def latest_acceptance(customer: Customer, partner: Partner) -> Acceptance | None:
    return Acceptance.objects.history(customer, partner).first()


def nothing_to_ask(customer_ids: list[int], reseller: Partner) -> tuple[set[int], set[int]]:
    """Of these customers, those a reseller has nothing to ask its provider about, by
    request_attestation's two reasons, a query each however many customers: an acceptance
    that counts for the reseller is on record, or the reseller's request is open already."""
    if not customer_ids:
        return set(), set()
    on_record = set(
        Acceptance.objects.filter(customer_id__in=customer_ids)
        .for_partner(reseller)
        .values_list("customer_id", flat=True)
        .distinct()
    )
    asked = set(
        AttestationRequest.objects.filter(
            customer_id__in=customer_ids, reseller=reseller, resolved_at__isnull=True
        ).values_list("customer_id", flat=True)
    )
    return on_record, asked


# What a history row shows (Account info, GET …/agreements), and nothing more: not the signed
# statement, user agent or hashes, which only a receipt needs.
HISTORY_COLUMNS = (
    "public_id",
    "method",
    "channel",
    "first_name",
    "last_name",
    "email",
    "date_agreed",
    "recorded_at",
    "template__template_id",
    "template__agreement_type",
    "template__version_rank",
    "partner__partner_id",
    "partner__name",
    "recorded_by__first_name",
    "recorded_by__last_name",
    "recorded_by__email",
)


def history_rows(customer: Customer, partner: Partner) -> QuerySet[Acceptance]:
    """The history that counts for this partner, newest first, as pages list it: the columns a
    row shows; ``phone_e164``, the phone as stored (E.164 text, "" for none), because parsing
    and validating a PhoneNumber per row costs more than the rest of the row; and
    ``has_statement``, whether the record is signed (so it has a receipt)."""
    return (
        Acceptance.objects.history(customer, partner)
        .only(*HISTORY_COLUMNS)
        .annotate(
            phone_e164=ExpressionWrapper(F("phone"), output_field=CharField()),
            has_statement=ExpressionWrapper(~Q(statement=""), output_field=BooleanField()),
        )
    )


# --- Versions that require re-acceptance --------------------------------------------------


def requiring_versions(
    countries: list[str] | None = None, as_of: datetime.date | None = None
) -> dict[str, list[AgreementTemplate]]:
    """The published versions that require re-acceptance, highest rank first, for each
    country they have a document for (only ``countries``, if given): one query. A version
    without a document for a country can't be accepted there, so it asks nothing of it."""
    documents = (
        AgreementDocument.objects.published(as_of)
        .filter(
            template__requires_reacceptance=True,
            template__agreement_type=AgreementType.MCA,
        )
        .select_related("template")
        .order_by("-template__version_rank", "country")
    )
    if countries is not None:
        documents = documents.filter(country__in=countries)
    found: dict[str, list[AgreementTemplate]] = {}
    for document in documents:
        versions = found.setdefault(str(document.country), [])
        if all(version.pk != document.template.pk for version in versions):
            versions.append(document.template)
    return found


@dataclass(frozen=True)
class Requirement:
    """What re-acceptance asks of one country's customers on one day."""

    # The newest published version requiring re-acceptance: a record it outdates is due.
    due_for: AgreementTemplate | None
    # The newest such version past its deadline: the order gate counts only records it
    # doesn't outdate.
    enforced: AgreementTemplate | None

    def outdates(self, version_rank: int, date_agreed: datetime.date) -> bool:
        return self.due_for is not None and self.due_for.outdates(version_rank, date_agreed)


NO_REQUIREMENT = Requirement(due_for=None, enforced=None)


def requirement_from(versions: list[AgreementTemplate], today: datetime.date) -> Requirement:
    enforced = next(
        (
            version
            for version in versions
            if version.reacceptance_deadline is not None and version.reacceptance_deadline < today
        ),
        None,
    )
    return Requirement(due_for=versions[0] if versions else None, enforced=enforced)


def requirement_for(country: str, today: datetime.date | None = None) -> Requirement:
    """Re-acceptance as it stands for a customer in ``country`` on ``today`` (the portal's)."""
    today = today or portal_today()
    versions = requiring_versions([country], today).get(country, [])
    return requirement_from(versions, today)


def required_version_documents(country: object, today: datetime.date | None = None) -> QuerySet:
    """Documents for ``country`` (a value or an OuterRef) of the published versions requiring
    re-acceptance, highest rank first: the first names the version in force there."""
    return (
        AgreementDocument.objects.published(today or portal_today())
        .filter(
            country=country,
            template__agreement_type=AgreementType.MCA,
            template__requires_reacceptance=True,
        )
        .order_by("-template__version_rank")
    )


def enforced_versions(country: str, today: datetime.date | None = None) -> QuerySet:
    """Documents for ``country`` of the published versions requiring re-acceptance whose
    deadline has passed, highest rank first: the order gate reads the first as subqueries, in
    its one query."""
    today = today or portal_today()
    return (
        AgreementDocument.objects.published(today)
        .filter(
            country=country,
            template__agreement_type=AgreementType.MCA,
            template__requires_reacceptance=True,
            template__reacceptance_deadline__lt=today,
        )
        .order_by("-template__version_rank")
    )
