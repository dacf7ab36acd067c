"""Agreement templates and their documents over the REST API."""

from __future__ import annotations

import datetime
import re

from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from agreements.ahead import NamedVersion
from agreements.models import (
    Acceptance,
    AcceptanceMethod,
    AgreementDocument,
    AgreementTemplate,
    AgreementType,
    Channel,
)
from agreements.receipts import KEYS_PATH, latest_checkpoint, receipt_for
from agreements.records import AgreementRecord, record_batches
from agreements.selectors import (
    NoAgreementDocument,
    history_rows,
    record_in_history,
)
from agreements.services import (
    AttestationNotAllowed,
    AttestationUnknown,
    Contact,
    DuplicateAttestation,
    UnknownVersion,
    acceptance_for_attestation,
    record_acceptance,
    reseller_cannot_attest_message,
)
from agreements.validators import validate_not_in_future
from customers import selectors as customer_selectors
from customers.api import AGREEMENT_STATUS_NAMES, relationship_or_404
from customers.filters import CustomerListFilter
from customers.models import Relationship
from portal import permissions
from portal.api.errors import (
    NOT_FOUND,
    ApiError,
    field_error,
    forbidden,
    invalid_input,
    messages_of,
)
from portal.api.idempotency import idempotent
from portal.api.pagination import (
    CONTINUATION_SALT,
    absolute,
    collection,
    keyset_page,
    next_link,
    page_size,
    paging_parameters,
)
from portal.api.schema import (
    CORRELATION_HEADERS,
    REQUEST_ID_HEADER,
    ObjectAttributesField,
    Representer,
    WireChoiceField,
    collection_serializer,
    errors,
)
from portal.api.views import ApiView
from portal.net import client_ip, user_agent

DOWNLOAD_SALT = "agreements.api.download"
DOWNLOAD_MAX_AGE = 300  # seconds: the link goes into a script or a browser, not an archive
# GET /v1/customers/{id}/agreements: records a page, unless the caller asks for more (or fewer).
HISTORY_PAGE_SIZE = 20
HISTORY_MAX_PAGE_SIZE = 100


def agreement_type_filter(request, default: str = AgreementType.MCA) -> list[str]:
    """The agreementType query parameter as the list of types it selects; ``*`` is all."""
    requested = request.query_params.get("agreementType", default)
    if requested == "*":
        return list(AgreementType.values)
    if requested not in AgreementType.values:
        raise invalid_input(
            f"agreementType: unknown type {requested!r}; use one of "
            f"{', '.join(AgreementType.values)} or *."
        )
    return [requested]


def agreement_link(template: AgreementTemplate) -> str:
    return absolute(reverse("api:agreement-document", args=[template.template_id]))


class AgreementMetadataSerializer(serializers.Serializer):
    templateId = serializers.UUIDField(source="template_id")  # noqa: N815
    agreementType = serializers.CharField(source="agreement_type")  # noqa: N815
    agreementLink = serializers.SerializerMethodField()  # noqa: N815
    versionRank = serializers.IntegerField(source="version_rank")  # noqa: N815

    def get_agreementLink(self, template: AgreementTemplate) -> str:  # noqa: N802
        return agreement_link(template)


AgreementMetadataCollection = collection_serializer(
    AgreementMetadataSerializer, "AgreementMetadataCollection"
)

AGREEMENT_TYPE_PARAMETER = OpenApiParameter(
    "agreementType",
    str,
    description="MicrosoftCustomerAgreement (the default) or * for every type.",
    enum=[*AgreementType.values, "*"],
)


# GET /v1/agreements's optional filters, as the schema states them.
COUNTRY_PATTERN = re.compile(r"^[A-Za-z]{2}$")
LANGUAGE_PATTERN = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


class AgreementList(ApiView):
    @extend_schema(
        operation_id="listAgreements",
        summary="Published agreement templates",
        parameters=[
            AGREEMENT_TYPE_PARAMETER,
            OpenApiParameter(
                "country",
                str,
                pattern=COUNTRY_PATTERN.pattern,
                description="Only versions with a document for this country (ISO code, e.g. CZ).",
            ),
            OpenApiParameter(
                "language",
                str,
                pattern=LANGUAGE_PATTERN.pattern,
                description="Only versions with a document in this language (e.g. en-US); "
                "with country, in that language for that country.",
            ),
        ],
        responses={200: AgreementMetadataCollection, **errors(400)},
    )
    def get(self, request):
        templates = (
            AgreementTemplate.objects.published()
            .filter(agreement_type__in=agreement_type_filter(request))
            .order_by("agreement_type", "-version_rank")
        )
        country = request.query_params.get("country", "")
        language = request.query_params.get("language", "")
        if country and not COUNTRY_PATTERN.fullmatch(country):
            raise invalid_input("country: an ISO country code such as CZ.")
        if language and not LANGUAGE_PATTERN.fullmatch(language):
            raise invalid_input("language: a language tag such as cs-CZ or en-US.")
        country = country.upper()
        if country or language:
            documents = AgreementDocument.objects.published()
            if country:
                documents = documents.filter(country=country)
            if language:
                documents = documents.filter(language__iexact=language)
            templates = templates.filter(pk__in=documents.values("template_id"))
        items = AgreementMetadataSerializer(templates, many=True).data
        return Response(collection(items))  # type: ignore[arg-type]  # many=True gives a ListSerializer; its data is a list, the stubs say ReturnDict


def signed_link(document: AgreementDocument) -> str:
    """A download link that works without a token for DOWNLOAD_MAX_AGE seconds."""
    signature = signing.TimestampSigner(salt=DOWNLOAD_SALT).sign(str(document.pk))
    return absolute(reverse("api:agreement-download", args=[signature]))


# Both links share the one signed link in context["download_uri"]: signing twice could
# straddle a second and give two different links.
class AgreementDocumentSerializer(serializers.Serializer):
    templateId = serializers.UUIDField(source="template.template_id")  # noqa: N815
    country = serializers.CharField(source="country.code")
    language = serializers.CharField()
    displayUri = serializers.SerializerMethodField()  # noqa: N815
    downloadUri = serializers.SerializerMethodField()  # noqa: N815

    @extend_schema_field(OpenApiTypes.URI)
    def get_displayUri(self, document: AgreementDocument) -> str:  # noqa: N802
        return f"{self.context['download_uri']}?disposition=inline"

    @extend_schema_field(OpenApiTypes.URI)
    def get_downloadUri(self, document: AgreementDocument) -> str:  # noqa: N802
        return self.context["download_uri"]


class AgreementTemplateDocument(ApiView):
    @extend_schema(
        operation_id="getAgreementDocument",
        summary="Links to a template's document for a country and language",
        parameters=[
            OpenApiParameter(
                "country",
                str,
                required=True,
                pattern="^[A-Za-z]{2}$",
                description="ISO 3166-1 alpha-2 code, e.g. CZ.",
            ),
            OpenApiParameter(
                "language",
                str,
                pattern="^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$",
                description="A language tag, e.g. cs-CZ; the first available when omitted.",
            ),
        ],
        responses={200: AgreementDocumentSerializer, **errors(400, 404)},
    )
    def get(self, request, template_id):
        country = request.query_params.get("country", "").strip().upper()
        if not country:
            raise invalid_input("country: required, an ISO country code such as CZ.")
        language = request.query_params.get("language", "").strip()
        # A version scheduled for a later date is no template yet: 404 like an unknown one.
        documents = (
            AgreementDocument.objects.published()
            .filter(template__template_id=template_id, country=country)
            .select_related("template")
        )
        if language:
            documents = documents.filter(language__iexact=language)
        document = documents.order_by("language").first()
        if document is None:
            # Asked only on the way to a 404, so the found path stays one query.
            if not AgreementTemplate.objects.published().filter(template_id=template_id).exists():
                raise ApiError(404, NOT_FOUND, "No agreement template with this templateId.")
            raise ApiError(
                404,
                NOT_FOUND,
                "No document of this template for that country and language.",
            )
        links = {"download_uri": signed_link(document)}
        return Response(AgreementDocumentSerializer(document, context=links).data)


class AgreementDocumentDownload(ApiView):
    """The signed link is the credential: no token, valid for five minutes."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="downloadAgreementDocument",
        summary="The document itself, through a signed link from getAgreementDocument",
        auth=[],
        parameters=[
            OpenApiParameter("disposition", str, enum=["attachment", "inline"]),
        ],
        responses={
            # Served with the media type it was uploaded with: a PDF, or whatever else an
            # operator uploaded.
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, "The document."),
            (200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, "The document."),
            **errors(404, 410, authenticated=False),
        },
    )
    def get(self, request, signature):
        try:
            pk = signing.TimestampSigner(salt=DOWNLOAD_SALT).unsign(
                signature, max_age=DOWNLOAD_MAX_AGE
            )
        except signing.SignatureExpired as error:
            raise ApiError(
                410, 410, "This download link has expired; ask the API for a new one."
            ) from error
        except signing.BadSignature as error:
            raise ApiError(404, NOT_FOUND, "No such download link.") from error
        document = (
            AgreementDocument.objects.published().select_related("template").filter(pk=pk).first()
        )
        if document is None:
            raise ApiError(404, NOT_FOUND, "No such download link.")
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=request.query_params.get("disposition") != "inline",
            filename=document.filename,
            content_type=document.content_type,
        )
        response["Cache-Control"] = "private, no-store"
        return response


# --- Agreements (attestation) ----------------------------------------------------


@extend_schema_field(
    {
        "anyOf": [
            {"type": "string", "format": "date"},
            {"type": "string", "format": "date-time"},
        ]
    }
)
class DateAgreedField(serializers.Field):
    """A date, or an ISO date-time read in the portal's time zone (the zone of R1)."""

    default_error_messages = {
        "invalid": "Enter a date (YYYY-MM-DD) or an ISO 8601 date-time.",
        "out_of_range": "This date-time is out of range: in the portal's time zone it falls "
        "outside the years 1 to 9999.",
    }

    def to_internal_value(self, data) -> datetime.date:
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            moment = parse_datetime(data)
            day = parse_date(data) if moment is None else None
        except ValueError:
            self.fail("invalid")
        if moment is not None:
            if timezone.is_aware(moment):
                try:
                    moment = timezone.localtime(moment)
                except OverflowError:
                    self.fail("out_of_range")
            return moment.date()
        if day is None:
            self.fail("invalid")
        return day

    def to_representation(self, value: datetime.date) -> str:
        return value.isoformat()


class PrimaryContactSerializer(serializers.Serializer):
    firstName = serializers.CharField(max_length=100)  # noqa: N815
    lastName = serializers.CharField(max_length=100)  # noqa: N815
    email = serializers.EmailField(max_length=254)
    phoneNumber = PhoneNumberField(required=False, allow_blank=True, default="")  # noqa: N815


class NewAgreementSerializer(serializers.Serializer):
    primaryContact = PrimaryContactSerializer()  # noqa: N815
    templateId = serializers.UUIDField()  # noqa: N815
    dateAgreed = DateAgreedField(validators=[validate_not_in_future])  # noqa: N815
    type = serializers.ChoiceField(choices=AgreementType.values)
    # The version that templateId and type name is looked up as the attestation is recorded,
    # with everything else it reads (agreements.ahead). An unknown version, or a date agreed
    # before its publication, is answered on its field as a serializer error would be
    # (CustomerAgreements.post).


class AgreementFromAttestationSerializer(serializers.Serializer):
    """The agreement an accepted signing request (enhanced attestation) recorded."""

    attestationId = serializers.UUIDField(  # noqa: N815
        help_text="The id POST /v1/attestations/enhanced answered with; its signatory accepted."
    )
    type = serializers.ChoiceField(choices=AgreementType.values, required=False)


NEW_AGREEMENT_REQUEST = PolymorphicProxySerializer(
    component_name="NewAgreementRequest",
    serializers=[NewAgreementSerializer, AgreementFromAttestationSerializer],
    resource_type_field_name=None,
)


METHOD_NAMES: dict[str, str] = {
    AcceptanceMethod.PARTNER_ATTESTATION: "partnerAttestation",
    AcceptanceMethod.DIRECT_ACCEPTANCE: "directAcceptance",
    AcceptanceMethod.SIGNATORY_ACCEPTANCE: "signatoryAcceptance",
}


class StoredPhoneField(serializers.CharField):
    """The phone as text, "" for none. A history row brings the stored E.164 text
    (``phone_e164``, agreements.selectors.history_rows), which is what str() of the parsed
    number gives, without parsing and validating it again for every row."""

    def __init__(self, **kwargs) -> None:
        super().__init__(source="*", **kwargs)

    def get_attribute(self, instance: Acceptance) -> str:
        stored = getattr(instance, "phone_e164", None)
        if stored is not None:
            return stored
        return str(instance.phone) if instance.phone else ""


class AgreementContactSerializer(serializers.Serializer):
    firstName = serializers.CharField(source="first_name")  # noqa: N815
    lastName = serializers.CharField(source="last_name")  # noqa: N815
    email = serializers.CharField()
    phoneNumber = StoredPhoneField()  # noqa: N815


# Who accepted, as distinct from who brought it on record: the customer's own admin in the
# admin center (a direct acceptance), or a customer contact a partner's agent attested for.
ACCEPTED_BY_ROLES: dict[str, str] = {
    AcceptanceMethod.PARTNER_ATTESTATION: "customerContact",
    AcceptanceMethod.DIRECT_ACCEPTANCE: "customerAdmin",
    AcceptanceMethod.SIGNATORY_ACCEPTANCE: "signatory",
}


class AcceptedBySerializer(serializers.Serializer):
    firstName = serializers.CharField(source="first_name")  # noqa: N815
    lastName = serializers.CharField(source="last_name")  # noqa: N815
    email = serializers.CharField()
    role = WireChoiceField(ACCEPTED_BY_ROLES, source="method")


class OnlyForMethod(serializers.Serializer):
    """A nested object that a record of one method has and any other shows as null: declared
    once as a field, not built anew for every record (a serializer per row costs more than
    the rest of the row)."""

    methods: tuple[str, ...]

    def to_representation(self, acceptance: Acceptance) -> dict | None:  # type: ignore[override]
        if acceptance.method not in self.methods:
            return None
        return super().to_representation(acceptance)


class RecordedBySerializer(OnlyForMethod):
    """The partner's agent who attested, or who started the signing link a signatory
    accepted at (a partner attestation or a signatory acceptance)."""

    methods = (AcceptanceMethod.PARTNER_ATTESTATION, AcceptanceMethod.SIGNATORY_ACCEPTANCE)

    userId = serializers.CharField(source="recorded_by_id")  # noqa: N815
    name = serializers.CharField(source="recorded_by.get_full_name")
    partnerId = serializers.CharField(source="partner.partner_id")  # noqa: N815
    partnerName = serializers.CharField(source="partner.name")  # noqa: N815


class InvitedBySerializer(OnlyForMethod):
    """The partner whose invitation the customer's admin answered (a direct acceptance only)."""

    methods = (AcceptanceMethod.DIRECT_ACCEPTANCE,)

    partnerId = serializers.CharField(source="partner.partner_id")  # noqa: N815
    partnerName = serializers.CharField(source="partner.name")  # noqa: N815


# One acceptance record: a partner's attestation or the customer's direct acceptance.
class AgreementSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    primaryContact = AgreementContactSerializer(source="*")  # noqa: N815
    templateId = serializers.UUIDField(source="template.template_id")  # noqa: N815
    dateAgreed = serializers.DateField(source="date_agreed")  # noqa: N815
    type = serializers.CharField(source="template.agreement_type")
    agreementLink = serializers.SerializerMethodField()  # noqa: N815
    userId = serializers.CharField(source="recorded_by_id")  # noqa: N815
    method = WireChoiceField(METHOD_NAMES)
    # In UTC ("…Z") whatever the portal's time zone.
    recordedAt = serializers.DateTimeField(  # noqa: N815
        source="recorded_at", default_timezone=datetime.UTC
    )
    # The partner the record counts for: the one that attested, or whose invitation it answered.
    partnerId = serializers.CharField(source="partner.partner_id")  # noqa: N815
    acceptedBy = AcceptedBySerializer(source="*")  # noqa: N815
    recordedBy = RecordedBySerializer(source="*", allow_null=True)  # noqa: N815
    invitedBy = InvitedBySerializer(source="*", allow_null=True)  # noqa: N815
    attributes = ObjectAttributesField("Agreement")

    @extend_schema_field(OpenApiTypes.URI)
    def get_agreementLink(self, acceptance: Acceptance) -> str:  # noqa: N802
        # One reverse() per template, not per record: a page of history has one or two.
        links = self.context.setdefault("agreement_links", {})
        template = acceptance.template
        if template.template_id not in links:
            links[template.template_id] = agreement_link(template)
        return links[template.template_id]


AgreementCollection = collection_serializer(AgreementSerializer, "AgreementCollection", paged=True)
# One record's answer (a write's): AgreementSerializer(record).data, without building it anew.
represent_agreement = Representer(AgreementSerializer)


def already_exists_description(error: DuplicateAttestation) -> str:
    """Partner Center names this error in its description; portal/api_urls.py maps it."""
    return "PartnerConfirmedAgreementAlreadyExists: " + messages_of(error)


class BodyRequiredSchema(AutoSchema):
    """The request body is required: drf-spectacular can't tell for a oneOf of serializers
    (NEW_AGREEMENT_REQUEST), each of which has required fields."""

    def _get_request_for_media_type(self, serializer, direction="request"):
        schema, _required = super()._get_request_for_media_type(serializer, direction)
        return schema, True


class CustomerAgreements(ApiView):
    schema = BodyRequiredSchema()

    @extend_schema(
        operation_id="listCustomerAgreements",
        summary="The customer's acceptance records that count for the caller, newest first",
        description=f"A page of {HISTORY_PAGE_SIZE} records unless size says otherwise (at most "
        f"{HISTORY_MAX_PAGE_SIZE}); links.next continues from the last record shown.",
        parameters=[
            AGREEMENT_TYPE_PARAMETER,
            *paging_parameters(default=HISTORY_PAGE_SIZE, maximum=HISTORY_MAX_PAGE_SIZE),
            *CORRELATION_HEADERS,
        ],
        responses={200: AgreementCollection, **errors(400, 404)},
    )
    def get(self, request, tenant_id):
        relationship = relationship_or_404(request, tenant_id)
        types = agreement_type_filter(request)
        size = page_size(request, default=HISTORY_PAGE_SIZE, maximum=HISTORY_MAX_PAGE_SIZE)
        customer = relationship.customer
        records, token = keyset_page(
            history_rows(customer, relationship.partner).filter(template__agreement_type__in=types),
            request=request,
            size=size,
            key=("-recorded_at", "-id"),
            scope=f"agreements.{request.user.partner_id}.{customer.tenant_id}",
        )
        links = None
        if token:
            # The next page is of the same collection: the type filter goes along.
            query = {}
            if "agreementType" in request.query_params:
                query["agreementType"] = request.query_params["agreementType"]
            path = reverse("api:customer-agreements", args=[customer.tenant_id])
            links = next_link(path, size, token, query)
        items = AgreementSerializer(records, many=True).data
        return Response(collection(items, links))  # type: ignore[arg-type]  # many=True gives a ListSerializer; its data is a list, the stubs say ReturnDict

    @extend_schema(
        operation_id="createCustomerAgreement",
        summary="Attest that the customer accepted the agreement",
        description="Either an attestation (primaryContact, templateId, dateAgreed, type: 201 "
        "with the new record), or the attestationId of an enhanced attestation (signing link) "
        "whose signatory accepted: that acceptance is on record already, so nothing is "
        "recorded twice and the answer is 200 with the existing record. An attestation that "
        "isn't accepted (yet) is 409; an unknown one 404.",
        parameters=[REQUEST_ID_HEADER, *CORRELATION_HEADERS],
        request=NEW_AGREEMENT_REQUEST,
        responses={
            200: AgreementSerializer,
            201: AgreementSerializer,
            **errors(400, 403, 404, 409, 413, 415, 422),
        },
    )
    @idempotent
    def post(self, request, tenant_id):
        relationship = relationship_or_404(request, tenant_id)
        if not permissions.can_attest(request.user):
            if permissions.can_request_attestation(request.user):
                # R3, refused before the body is read, as the service would refuse it.
                raise AttestationNotAllowed(
                    reseller_cannot_attest_message(request.user.partner), code="reseller"
                )
            raise forbidden()
        if isinstance(request.data, dict) and "attestationId" in request.data:
            return self._from_attestation(request, relationship)
        given = NewAgreementSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        contact = given.validated_data["primaryContact"]
        try:
            acceptance = record_acceptance(
                customer=relationship.customer,
                partner=request.user.partner,
                recorded_by=request.user,
                method=AcceptanceMethod.PARTNER_ATTESTATION,
                channel=Channel.API,
                contact=Contact(
                    contact["firstName"],
                    contact["lastName"],
                    contact["email"],
                    contact.get("phoneNumber") or "",
                ),
                date_agreed=given.validated_data["dateAgreed"],
                named=NamedVersion(
                    given.validated_data["templateId"], given.validated_data["type"]
                ),
                ip_address=client_ip(request),
                user_agent=user_agent(request),
            )
        except (UnknownVersion, NoAgreementDocument) as error:
            # No such version, or none with a document for the customer's country.
            raise field_error("templateId", error) from error
        except DjangoValidationError as error:
            if getattr(error, "code", None) != "before_publication":
                # The other domain errors (a duplicate, R3) propagate to the table in
                # portal/api_urls.py.
                raise
            raise field_error("dateAgreed", error) from error
        return Response(represent_agreement(acceptance), status=201)

    def _from_attestation(self, request, relationship: Relationship) -> Response:
        given = AgreementFromAttestationSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            acceptance = acceptance_for_attestation(
                relationship.customer,
                request.user.partner,
                str(given.validated_data["attestationId"]),
            )
        except AttestationUnknown as error:
            raise ApiError(404, NOT_FOUND, messages_of(error)) from error
        return Response(represent_agreement(acceptance), status=200)


class DirectSignedStatusSerializer(serializers.Serializer):
    isSigned = serializers.BooleanField()  # noqa: N815


class DirectSignedStatus(ApiView):
    @extend_schema(
        operation_id="getDirectSignedMicrosoftCustomerAgreementStatus",
        summary="Whether the customer accepted the agreement itself in the admin center",
        parameters=CORRELATION_HEADERS,
        responses={200: DirectSignedStatusSerializer, **errors(404)},
    )
    def get(self, request, tenant_id):
        customer = relationship_or_404(request, tenant_id).customer
        signed = Acceptance.objects.filter(
            customer=customer,
            method=AcceptanceMethod.DIRECT_ACCEPTANCE,
            template__agreement_type=AgreementType.MCA,
        ).exists()
        return Response(DirectSignedStatusSerializer({"isSigned": signed}).data)


class SignatureSerializer(serializers.Serializer):
    algorithm = serializers.CharField()
    keyId = serializers.CharField()  # noqa: N815
    value = serializers.CharField(help_text="Base64 of the Ed25519 signature.")


class CheckpointSerializer(serializers.Serializer):
    statement = serializers.DictField(
        help_text="type, count (records in the chain), headHash, signedAt, unsignedPrefix; "
        "signed as canonical JSON (sorted keys, no spaces, UTF-8)."
    )
    signature = SignatureSerializer()


class ReceiptSerializer(serializers.Serializer):
    type = serializers.CharField()
    version = serializers.IntegerField()
    record = serializers.DictField(
        allow_null=True,
        help_text="The signed statement of the record, by public identifiers. Its canonical "
        "JSON (sorted keys, no spaces, UTF-8) hashes to chainHash and is what was signed.",
    )
    chainHash = serializers.CharField()  # noqa: N815
    signature = SignatureSerializer(allow_null=True)
    checkpoint = CheckpointSerializer(allow_null=True)
    keys = serializers.URLField(help_text="Where the public keys are published.")


class AgreementReceipt(ApiView):
    @extend_schema(
        operation_id="getCustomerAgreementReceipt",
        summary="The signed receipt of one acceptance record; verifies offline",
        parameters=CORRELATION_HEADERS,
        responses={200: ReceiptSerializer, **errors(404)},
    )
    def get(self, request, tenant_id, record_id):
        relationship = relationship_or_404(request, tenant_id)
        acceptance = record_in_history(relationship.customer, relationship.partner, record_id)
        if acceptance is None:
            raise ApiError(404, NOT_FOUND, "No such acceptance record for this customer.")
        body = receipt_for(acceptance, request.build_absolute_uri(KEYS_PATH))
        return Response(ReceiptSerializer(body).data)


class LatestCheckpoint(ApiView):
    @extend_schema(
        operation_id="getLatestEvidenceCheckpoint",
        summary="The newest signed checkpoint of the evidence chain (count and head hash)",
        parameters=CORRELATION_HEADERS,
        responses={200: CheckpointSerializer, **errors(404)},
    )
    def get(self, request):
        checkpoint = latest_checkpoint()
        if checkpoint is None:
            raise ApiError(404, NOT_FOUND, "No evidence has been recorded yet.")
        return Response(CheckpointSerializer(checkpoint.as_json()).data)


# --- Customer agreement records: every customer the caller sees, with what is on record -----

RECORDS_PAGE_SIZE = 100
RECORDS_MAX_PAGE_SIZE = 1000
RECORDS_SCOPE = "agreementrecords"

STATUS_NAMES = AGREEMENT_STATUS_NAMES
STATUS_VALUES = {name: value for value, name in STATUS_NAMES.items()}


class RecordContactSerializer(serializers.Serializer):
    firstName = serializers.CharField(source="first_name")  # noqa: N815
    lastName = serializers.CharField(source="last_name")  # noqa: N815
    email = serializers.CharField()
    phoneNumber = serializers.CharField(source="phone")  # noqa: N815


class OnRecordSerializer(serializers.Serializer):
    method = WireChoiceField(METHOD_NAMES)
    acceptedBy = RecordContactSerializer(source="accepted_by")  # noqa: N815
    dateAgreed = serializers.DateField(source="date_agreed")  # noqa: N815
    templateId = serializers.UUIDField(source="template_id")  # noqa: N815
    templateVersion = serializers.IntegerField(source="template_version")  # noqa: N815
    # In UTC ("…Z") whatever the portal's time zone.
    recordedAt = serializers.DateTimeField(  # noqa: N815
        source="recorded_at", default_timezone=datetime.UTC
    )
    recordedBy = serializers.CharField(  # noqa: N815
        source="recorded_by", help_text="The email of the user who recorded it."
    )


class CustomerAgreementRecordSerializer(serializers.Serializer):
    tenantId = serializers.UUIDField(source="tenant_id")  # noqa: N815
    domain = serializers.CharField()
    companyName = serializers.CharField(source="company_name")  # noqa: N815
    country = serializers.CharField()
    agreementStatus = WireChoiceField(STATUS_NAMES, source="status")  # noqa: N815
    onRecord = OnRecordSerializer(  # noqa: N815
        source="on_record",
        allow_null=True,
        help_text="The newest acceptance that counts for the caller's partner; null if none.",
    )
    customerPage = serializers.SerializerMethodField()  # noqa: N815
    attributes = ObjectAttributesField("CustomerAgreementRecord")

    @extend_schema_field(OpenApiTypes.URI)
    def get_customerPage(self, record: AgreementRecord) -> str:  # noqa: N802
        return self.context["page_link"].replace(_PLACEHOLDER, str(record.tenant_id))


_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"

CustomerAgreementRecordCollection = collection_serializer(
    CustomerAgreementRecordSerializer, "CustomerAgreementRecordCollection", paged=True
)


def _records_after(request) -> tuple[int, str, int] | None:
    token = request.headers.get("MS-ContinuationToken") or request.query_params.get(
        "continuationToken"
    )
    if not token:
        return None
    try:
        partner_id, sort_name, pk = signing.loads(
            token, salt=f"{CONTINUATION_SALT}.{RECORDS_SCOPE}.{request.user.partner_id}"
        )
        if not (isinstance(partner_id, int) and isinstance(sort_name, str) and isinstance(pk, int)):
            raise TypeError
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise invalid_input("MS-ContinuationToken: not a valid continuation token.") from error
    return partner_id, sort_name, pk


def _record_filters(request) -> CustomerListFilter:
    """The customers list's search and filters, under the API's names."""
    params = request.query_params
    data = {}
    if params.get("search"):
        data["q"] = params["search"]
    if params.get("country"):
        data["country"] = params["country"].upper()
    if "agreementStatus" in params:
        status = STATUS_VALUES.get(params["agreementStatus"])
        if status is None:
            raise invalid_input(
                f"agreementStatus: use one of {', '.join(STATUS_VALUES)}.",
            )
        data["status"] = status
    listing = CustomerListFilter(data or None, queryset=Relationship.objects.all())
    if listing.is_bound and not listing.is_valid():
        names = {"q": "search", "country": "country", "status": "agreementStatus"}
        lines = [
            f"{names.get(field, field)}: {message}"
            for field, messages in listing.form.errors.items()
            for message in messages
        ]
        raise invalid_input(" ".join(lines), lines)
    return listing


class CustomerAgreementRecords(ApiView):
    @extend_schema(
        operation_id="listCustomerAgreementRecords",
        summary="Every customer of the caller's partner (a provider: and its resellers'), with "
        "the acceptance on record that counts for it",
        description=f"The caller's own customers by company name, then (an indirect provider) "
        f"each reseller's. A page of {RECORDS_PAGE_SIZE} unless size says otherwise (at most "
        f"{RECORDS_MAX_PAGE_SIZE}); links.next continues from the last record shown, and "
        "carries the filters along.",
        parameters=[
            OpenApiParameter(
                "search",
                {"type": "string", "maxLength": 200},
                description="Any part of a company name, domain, contact's name or email, or "
                "the beginning of a tenant ID (the customers list's search).",
            ),
            OpenApiParameter("agreementStatus", str, enum=list(STATUS_VALUES)),
            OpenApiParameter(
                "country",
                str,
                pattern="^[A-Za-z]{2}$",
                description="ISO 3166-1 alpha-2 code, e.g. CZ.",
            ),
            *paging_parameters(default=RECORDS_PAGE_SIZE, maximum=RECORDS_MAX_PAGE_SIZE),
            *CORRELATION_HEADERS,
        ],
        responses={200: CustomerAgreementRecordCollection, **errors(400)},
    )
    def get(self, request):
        size = page_size(request, default=RECORDS_PAGE_SIZE, maximum=RECORDS_MAX_PAGE_SIZE)
        listing = _record_filters(request)
        parts = customer_selectors.visible_by_partner(request.user.partner, listing.qs)
        after = _records_after(request)
        try:
            records = [
                record
                for batch in record_batches(parts, batch_size=size + 1, limit=size + 1, after=after)
                for record in batch
            ]
        except ValueError as error:
            raise invalid_input("MS-ContinuationToken: not a valid continuation token.") from error
        links = None
        if len(records) > size:
            records = records[:size]
            token = signing.dumps(
                list(records[-1].position),
                salt=f"{CONTINUATION_SALT}.{RECORDS_SCOPE}.{request.user.partner_id}",
                compress=True,
            )
            query = {
                name: request.query_params[name]
                for name in ("search", "agreementStatus", "country")
                if name in request.query_params
            }
            links = next_link(reverse("api:customer-agreement-records"), size, token, query)
        page_link = absolute(reverse("customers:detail", args=[_PLACEHOLDER]))
        items = CustomerAgreementRecordSerializer(
            records, many=True, context={"page_link": page_link}
        ).data
        return Response(collection(items, links))  # type: ignore[arg-type]  # many=True gives a ListSerializer; its data is a list, the stubs say ReturnDict
