"""Reads of agreements: the document a customer is shown, the record that counts for a
partner, and whether a country has a published agreement at all."""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, CharField, ExpressionWrapper, F, Q, QuerySet
from django.utils.translation import gettext as _

from agreements.models import Acceptance, AgreementDocument, AgreementTemplate, AgreementType
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


def document_for(
    customer: Customer, template: AgreementTemplate | None = None
) -> AgreementDocument:
    """The document a customer is shown: the given template's, else the latest for its country;
    either only once published (a scheduled version is no document yet)."""
    documents = AgreementDocument.objects.published().select_related("template")
    if template is None:
        document = documents.latest_for(customer.country.code)
    else:
        document = (
            documents.filter(template=template, country=customer.country.code)
            .order_by("language")
            .first()
        )
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
