"""Agreement templates and their documents over the REST API."""

from __future__ import annotations

from django.core import signing
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from agreements.models import AgreementDocument, AgreementTemplate, AgreementType
from portal.api import (
    NOT_FOUND,
    ApiError,
    ApiView,
    ErrorSerializer,
    absolute,
    collection,
    collection_serializer,
    errors,
    invalid_input,
)

DOWNLOAD_SALT = "agreements.api.download"
DOWNLOAD_MAX_AGE = 300  # seconds: the link goes into a script or a browser, not an archive


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


class AgreementList(ApiView):
    @extend_schema(
        operation_id="listAgreements",
        summary="Published agreement templates",
        parameters=[AGREEMENT_TYPE_PARAMETER],
        responses={200: AgreementMetadataCollection, **errors(400)},
    )
    def get(self, request):
        templates = AgreementTemplate.objects.filter(
            agreement_type__in=agreement_type_filter(request)
        ).order_by("agreement_type", "-version_rank")
        items = AgreementMetadataSerializer(templates, many=True).data
        return Response(collection(items))


class AgreementDocumentSerializer(serializers.Serializer):
    templateId = serializers.UUIDField()  # noqa: N815
    country = serializers.CharField()
    language = serializers.CharField()
    displayUri = serializers.URLField()  # noqa: N815
    downloadUri = serializers.URLField()  # noqa: N815


def signed_links(document: AgreementDocument) -> tuple[str, str]:
    """Links that work without a token for DOWNLOAD_MAX_AGE seconds: display, download."""
    signature = signing.TimestampSigner(salt=DOWNLOAD_SALT).sign(str(document.pk))
    download = absolute(reverse("api:agreement-download", args=[signature]))
    return f"{download}?disposition=inline", download


class AgreementTemplateDocument(ApiView):
    @extend_schema(
        operation_id="getAgreementDocument",
        summary="Links to a template's document for a country and language",
        parameters=[
            OpenApiParameter("country", str, required=True, description="ISO code, e.g. CZ."),
            OpenApiParameter(
                "language", str, description="e.g. cs-CZ; the first available when omitted."
            ),
        ],
        responses={200: AgreementDocumentSerializer, **errors(400, 404)},
    )
    def get(self, request, template_id):
        country = request.query_params.get("country", "").strip().upper()
        if not country:
            raise invalid_input("country: required, an ISO country code such as CZ.")
        language = request.query_params.get("language", "").strip()
        documents = AgreementDocument.objects.filter(
            template__template_id=template_id, country=country
        ).select_related("template")
        if language:
            documents = documents.filter(language__iexact=language)
        document = documents.order_by("language").first()
        if document is None:
            # Asked only on the way to a 404, so the found path stays one query.
            if not AgreementTemplate.objects.filter(template_id=template_id).exists():
                raise ApiError(404, NOT_FOUND, "No agreement template with this templateId.")
            raise ApiError(
                404,
                NOT_FOUND,
                "No document of this template for that country and language.",
            )
        display, download = signed_links(document)
        return Response(
            {
                "templateId": str(document.template.template_id),
                "country": document.country.code,
                "language": document.language,
                "displayUri": display,
                "downloadUri": download,
            }
        )


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
            (200, "application/octet-stream"): OpenApiResponse(description="The document."),
            404: ErrorSerializer,
            410: ErrorSerializer,
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
        document = AgreementDocument.objects.select_related("template").filter(pk=pk).first()
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
