"""Enhanced attestation over the REST API: start a signing request for the customer's
signatory (POST /v1/attestations/enhanced), read its status (GET …/{id}) and revoke it
(DELETE …/{id}). POST /v1/customers/{id}/agreements takes the id of an accepted one
(agreements.api, through agreements.services.register_attestation_lookup)."""

from __future__ import annotations

import datetime

from drf_spectacular.utils import extend_schema
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers
from rest_framework.response import Response

from agreements.services import AttestationNotAllowed, reseller_cannot_attest_message
from customers.api import relationship_or_404
from portal import permissions
from portal.api.errors import NOT_FOUND, ApiError, forbidden, invalid_input
from portal.api.idempotency import idempotent
from portal.api.schema import (
    CORRELATION_HEADERS,
    REQUEST_ID_HEADER,
    ObjectAttributesField,
    errors,
)
from portal.api.views import ApiView
from signing import email as mail
from signing import selectors, services
from signing.models import DEFAULT_EXPIRY_DAYS, MAX_EXPIRY_DAYS, SigningRequest, SigningStatus


def _refuse_unless_may_attest(request) -> None:
    if not permissions.can_attest(request.user):
        if permissions.can_request_attestation(request.user):
            raise AttestationNotAllowed(
                reseller_cannot_attest_message(request.user.partner), code="reseller"
            )
        raise forbidden()


class NewEnhancedAttestationSerializer(serializers.Serializer):
    customerTenantId = serializers.UUIDField()  # noqa: N815
    country = serializers.RegexField(
        r"^[A-Za-z]{2}$", help_text="ISO 3166-1 alpha-2: the agreement's country."
    )
    language = serializers.RegexField(
        r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$",
        help_text="The agreement's language, one published for the country (e.g. cs-CZ).",
    )
    companyName = serializers.CharField(  # noqa: N815
        max_length=200, required=False, help_text="Informational; the customer's is recorded."
    )
    signatoryFirstName = serializers.CharField(max_length=100)  # noqa: N815
    signatoryLastName = serializers.CharField(max_length=100)  # noqa: N815
    signatoryEmail = serializers.EmailField(max_length=254)  # noqa: N815
    signatoryPhoneNumber = PhoneNumberField(required=False, allow_blank=True, default="")  # noqa: N815
    signatoryJobTitle = serializers.CharField(  # noqa: N815
        max_length=100, required=False, allow_blank=True, default=""
    )
    expiresInDays = serializers.IntegerField(  # noqa: N815
        min_value=1, max_value=MAX_EXPIRY_DAYS, default=DEFAULT_EXPIRY_DAYS, required=False
    )
    acknowledgeExistingAcceptance = serializers.BooleanField(  # noqa: N815
        default=False,
        required=False,
        help_text="Start it even though this version's acceptance is on record (else 409, 600061).",
    )


STATUS_NAMES = [status.value for status in SigningStatus]


class SignatorySerializer(serializers.Serializer):
    firstName = serializers.CharField(source="first_name")  # noqa: N815
    lastName = serializers.CharField(source="last_name")  # noqa: N815
    email = serializers.CharField()
    phoneNumber = serializers.SerializerMethodField()  # noqa: N815
    jobTitle = serializers.CharField(source="job_title")  # noqa: N815

    def get_phoneNumber(self, request: SigningRequest) -> str:  # noqa: N802
        return str(request.phone) if request.phone else ""


def _utc(**kwargs) -> serializers.DateTimeField:
    return serializers.DateTimeField(default_timezone=datetime.UTC, **kwargs)


class EnhancedAttestationSerializer(serializers.Serializer):
    attestationId = serializers.UUIDField(source="public_id")  # noqa: N815
    status = serializers.ChoiceField(choices=STATUS_NAMES, source="effective_status")
    customerTenantId = serializers.UUIDField(source="customer.tenant_id")  # noqa: N815
    companyName = serializers.CharField(source="customer.company_name")  # noqa: N815
    partnerId = serializers.CharField(source="partner.partner_id")  # noqa: N815
    startedBy = serializers.CharField(source="started_by.email")  # noqa: N815
    signatory = SignatorySerializer(source="*")
    country = serializers.CharField(source="country.code")
    language = serializers.CharField()
    templateId = serializers.UUIDField(source="document.template.template_id")  # noqa: N815
    documentSha256 = serializers.CharField(source="document.sha256")  # noqa: N815
    createdAt = _utc(source="created_at")  # noqa: N815
    expiresAt = _utc(source="expires_at")  # noqa: N815
    openedAt = _utc(source="opened_at", allow_null=True)  # noqa: N815
    codeVerifiedAt = _utc(source="code_verified_at", allow_null=True)  # noqa: N815
    acceptedAt = _utc(source="accepted_at", allow_null=True)  # noqa: N815
    declinedAt = _utc(source="declined_at", allow_null=True)  # noqa: N815
    revokedAt = _utc(source="revoked_at", allow_null=True)  # noqa: N815
    declineReason = serializers.CharField(source="decline_reason")  # noqa: N815
    agreementId = serializers.UUIDField(  # noqa: N815
        source="acceptance.public_id",
        allow_null=True,
        default=None,
        help_text="The acceptance record, once the signatory accepted.",
    )
    replacedBy = serializers.UUIDField(
        source="replaced_by.public_id", allow_null=True, default=None
    )  # noqa: N815
    attributes = ObjectAttributesField("EnhancedAttestation")


class CreatedEnhancedAttestationSerializer(EnhancedAttestationSerializer):
    url = serializers.CharField(
        help_text="The signing link: shown this once, never again (empty when a retry with "
        "the same MS-RequestId replays the answer)."
    )


class EnhancedAttestations(ApiView):
    @extend_schema(
        operation_id="createEnhancedAttestation",
        summary="Start a signing link for the customer's signatory (enhanced attestation)",
        description="The signatory accepts at url without an account (an emailed one-time "
        "code, the agreement, a typed signature). Errors: 409 600062 when an open request for "
        "the same customer and signatory exists (named in the description and data), 409 "
        "600061 when this version's acceptance is on record already (unless "
        "acknowledgeExistingAcceptance), 403 900123 for an indirect reseller.",
        parameters=[REQUEST_ID_HEADER, *CORRELATION_HEADERS],
        request=NewEnhancedAttestationSerializer,
        responses={
            201: CreatedEnhancedAttestationSerializer,
            **errors(403, 404, 409, 413, 415, 422),
        },
    )
    @idempotent
    def post(self, request):
        _refuse_unless_may_attest(request)
        given = NewEnhancedAttestationSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        relationship = relationship_or_404(request, data["customerTenantId"])
        country, language = data["country"].upper(), data["language"]
        document = selectors.document_in_force(country, language)
        if document is None:
            published = selectors.languages_for(country)
            detail = (
                f"language: {language} is not published for {country}; published: "
                + ", ".join(published)
                if published
                else f"country: No agreement is published for {country}."
            )
            raise invalid_input(detail, [detail])
        signing_request, token = services.start_signing(
            customer=relationship.customer,
            partner=request.user.partner,
            started_by=request.user,
            signatory=services.Signatory(
                data["signatoryFirstName"],
                data["signatoryLastName"],
                data["signatoryEmail"],
                data["signatoryPhoneNumber"] or "",
                data["signatoryJobTitle"],
            ),
            document=document,
            expires_in_days=data["expiresInDays"],
            on_record_acknowledged=data["acknowledgeExistingAcceptance"],
        )
        signing_request.url = mail.signing_link(token)  # type: ignore[attr-defined]
        response = Response(CreatedEnhancedAttestationSerializer(signing_request).data, status=201)
        # R7: the link is shown once; a replayed retry gets everything but it (read by
        # portal.api.idempotency, which stores this for replays in place of response.data).
        signing_request.url = ""  # type: ignore[attr-defined]
        response.stored_data = CreatedEnhancedAttestationSerializer(signing_request).data  # type: ignore[attr-defined]
        return response


class EnhancedAttestation(ApiView):
    def _request(self, request, attestation_id) -> SigningRequest:
        signing_request = (
            selectors.requests_of(request.user.partner_id)
            .select_related(
                "customer",
                "partner",
                "started_by",
                "document",
                "document__template",
                "acceptance",
                "replaced_by",
            )
            .filter(public_id=attestation_id)
            .first()
        )
        if signing_request is None:
            raise ApiError(404, NOT_FOUND, "No enhanced attestation with this id.")
        return signing_request

    @extend_schema(
        operation_id="getEnhancedAttestation",
        summary="An enhanced attestation's status and timestamps",
        parameters=CORRELATION_HEADERS,
        responses={200: EnhancedAttestationSerializer, **errors(404)},
    )
    def get(self, request, attestation_id):
        return Response(EnhancedAttestationSerializer(self._request(request, attestation_id)).data)

    @extend_schema(
        operation_id="revokeEnhancedAttestation",
        summary="Revoke an open enhanced attestation: its link stops working",
        description="204 once revoked; 409 600063 when it is no longer open.",
        parameters=CORRELATION_HEADERS,
        responses={204: None, **errors(403, 404, 409)},
    )
    def delete(self, request, attestation_id):
        _refuse_unless_may_attest(request)
        services.revoke_signing(request=self._request(request, attestation_id))
        return Response(status=204)


def already_open_data(error: services.SigningAlreadyOpen) -> str:
    return "EnhancedAttestationAlreadyOpen: " + " ".join(error.messages)
