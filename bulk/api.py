"""Bulk attestation over the REST API: POST a CSV body or JSON items, poll the job, page its
results. The rows are checked by the same code as the web's preview; the job runs in the
background (bulk.tasks)."""

from __future__ import annotations

import datetime
import io

from django.urls import reverse
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.parsers import BaseParser
from rest_framework.response import Response

from agreements.services import AttestationNotAllowed, reseller_cannot_attest_message
from bulk import selectors, services
from bulk.csvfiles import API_MAX_ROWS, FileRefused, read_rows
from bulk.models import BulkJob, BulkRow, Kind, Mode, Outcome, Source, Status
from portal import permissions
from portal.api.errors import NOT_FOUND, ApiError, forbidden, invalid_input
from portal.api.idempotency import idempotent
from portal.api.pagination import (
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
    LinkSerializer,
    collection_serializer,
    errors,
)
from portal.api.views import ApiView, BoundedJSONParser

RESULTS_PAGE_SIZE = 100
RESULTS_MAX_PAGE_SIZE = 1000
PUBLIC_STATUSES = [s for s in Status.values if s != Status.DRAFT]
OUTCOMES = [Outcome.SUCCEEDED, Outcome.FAILED, Outcome.NOT_ATTEMPTED]


class CsvParser(BaseParser):
    """A text/csv body, handed over as bytes: bulk.csvfiles reads it."""

    media_type = "text/csv"

    def parse(self, stream, media_type=None, parser_context=None) -> bytes:  # type: ignore[override]  # DRF's request.data is whatever a parser returns
        return stream.read() if stream is not None else b""


class BulkContactSerializer(serializers.Serializer):
    firstName = serializers.CharField(max_length=255, allow_blank=True)  # noqa: N815
    lastName = serializers.CharField(max_length=255, allow_blank=True)  # noqa: N815
    email = serializers.CharField(max_length=320, allow_blank=True)
    phoneNumber = serializers.CharField(  # noqa: N815
        max_length=100, allow_blank=True, required=False, default=""
    )


class BulkItemSerializer(serializers.Serializer):
    """One row, checked like a CSV row (the result says what was wrong with it)."""

    customerId = serializers.CharField(  # noqa: N815
        max_length=100, allow_blank=True, required=False, default="", help_text="The tenant ID."
    )
    domain = serializers.CharField(max_length=255, allow_blank=True, required=False, default="")
    primaryContact = BulkContactSerializer()  # noqa: N815
    dateAgreed = serializers.CharField(max_length=100, help_text="YYYY-MM-DD")  # noqa: N815
    templateId = serializers.CharField(  # noqa: N815
        max_length=100,
        allow_blank=True,
        required=False,
        default="",
        help_text="Empty: the latest version in force for the customer's country.",
    )


class NewBulkAttestationSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=Mode.values, default=Mode.ALL_OR_NOTHING)
    items = BulkItemSerializer(many=True, allow_empty=False, max_length=API_MAX_ROWS)  # type: ignore[call-arg]  # ListSerializer takes max_length; the stubs don't say so


class SelfLinkSerializer(serializers.Serializer):
    self = LinkSerializer()


class BulkJobCreatedSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    status = serializers.ChoiceField(choices=PUBLIC_STATUSES)
    links = serializers.SerializerMethodField()

    @extend_schema_field(SelfLinkSerializer)
    def get_links(self, job: BulkJob) -> dict:
        return {"self": {"uri": job_uri(job), "method": "GET"}}


def job_uri(job: BulkJob) -> str:
    return absolute(reverse("api:bulk-attestation", args=[job.public_id]))


class CountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    succeeded = serializers.IntegerField()
    failed = serializers.IntegerField()


class BulkJobSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    status = serializers.ChoiceField(choices=PUBLIC_STATUSES)
    mode = serializers.ChoiceField(choices=Mode.values)
    counts = CountsSerializer(source="*")
    createdAt = serializers.DateTimeField(  # noqa: N815
        source="created_at", default_timezone=datetime.UTC
    )
    completedAt = serializers.DateTimeField(  # noqa: N815
        source="completed_at", default_timezone=datetime.UTC, allow_null=True
    )


class BulkResultSerializer(serializers.Serializer):
    row = serializers.IntegerField(source="number")
    customerId = serializers.CharField(source="tenant_id", allow_blank=True)  # noqa: N815
    outcome = serializers.ChoiceField(choices=OUTCOMES)
    recordId = serializers.UUIDField(  # noqa: N815
        source="acceptance.public_id", allow_null=True, default=None
    )
    code = serializers.IntegerField(allow_null=True)
    description = serializers.CharField(source="message", allow_blank=True)


BulkResultCollection = collection_serializer(
    BulkResultSerializer, "BulkAttestationResultCollection", paged=True
)


def _rows_of(data: NewBulkAttestationSerializer) -> list[tuple[int, dict]]:
    rows = []
    for index, item in enumerate(data.validated_data["items"]):
        contact = item["primaryContact"]
        rows.append(
            (
                index + 1,
                {
                    "tenant_id": item["customerId"],
                    "domain": item["domain"],
                    "first_name": contact["firstName"],
                    "last_name": contact["lastName"],
                    "email": contact["email"],
                    "phone": contact.get("phoneNumber", ""),
                    "date_agreed": item["dateAgreed"],
                    "template_id": item["templateId"],
                },
            )
        )
    return rows


def _refuse_non_attesting(request) -> None:
    if not permissions.can_attest(request.user):
        if permissions.can_request_attestation(request.user):
            raise AttestationNotAllowed(
                reseller_cannot_attest_message(request.user.partner), code="reseller"
            )
        raise forbidden()


class BodyRequiredSchema(AutoSchema):
    """A body is required in either media type; drf-spectacular infers that only from a
    serializer's fields, and text/csv has none."""

    def _get_request_body(self, direction="request"):
        body = super()._get_request_body(direction)
        if body:
            body["required"] = True
        return body


class BulkAttestations(ApiView):
    parser_classes = [BoundedJSONParser, CsvParser]
    schema = BodyRequiredSchema()

    @extend_schema(
        operation_id="createBulkAttestation",
        summary="Attest for many customers at once, in the background",
        description=(
            f"JSON items, or a text/csv body with the web upload's columns (TenantId, Domain, "
            f"FirstName, LastName, Email, PhoneNumber, DateAgreed, TemplateId; its mode in the "
            f"query). At most {API_MAX_ROWS} rows. Each row is checked like a single attestation "
            "(its code in the results: 800002, 60003, 600061); allOrNothing records nothing if "
            "any row fails, validOnly records the rows that pass. Answers 202 at once; poll "
            "links.self."
        ),
        parameters=[
            OpenApiParameter(
                "mode", str, enum=Mode.values, description="For a text/csv body only."
            ),
            REQUEST_ID_HEADER,
            *CORRELATION_HEADERS,
        ],
        request={
            "application/json": NewBulkAttestationSerializer,
            "text/csv": OpenApiTypes.STR,
        },
        responses={
            202: OpenApiResponse(BulkJobCreatedSerializer, "The job is queued."),
            **errors(403, 413, 415, 422),
        },
    )
    @idempotent
    def post(self, request):
        _refuse_non_attesting(request)
        if isinstance(request.data, bytes) or request.content_type.startswith("text/csv"):
            # (An empty body reaches no parser: DRF hands over an empty dict.)
            body = request.data if isinstance(request.data, bytes) else b""
            mode = request.query_params.get("mode", Mode.ALL_OR_NOTHING)
            if mode not in Mode.values:
                raise invalid_input(f"mode: use one of {', '.join(Mode.values)}.")
            rows = read_rows(io.BytesIO(body), max_rows=API_MAX_ROWS)
        else:
            given = NewBulkAttestationSerializer(data=request.data)
            given.is_valid(raise_exception=True)
            mode = given.validated_data["mode"]
            rows = iter(_rows_of(given))
        try:
            job = services.create_job(
                user=request.user,
                rows=rows,
                source=Source.API,
                mode=mode,
                start=True,
                kind=Kind.ATTESTATION,
            )
        except FileRefused as error:
            raise invalid_input(str(error)) from error
        job.refresh_from_db()
        response = Response(BulkJobCreatedSerializer(job).data, status=202)
        response["Location"] = job_uri(job)
        return response


def _job_or_404(request, job_id) -> BulkJob:
    """The partner's attestation job; another partner's (or a web preview, or a reseller's
    requests to its provider) is 404."""
    job = selectors.jobs_for(request.user).filter(public_id=job_id, kind=Kind.ATTESTATION).first()
    if job is None:
        raise ApiError(404, NOT_FOUND, "No such bulk attestation job.")
    return job


class BulkAttestationDetail(ApiView):
    @extend_schema(
        operation_id="getBulkAttestation",
        summary="A bulk attestation job's status and counts",
        parameters=CORRELATION_HEADERS,
        responses={200: BulkJobSerializer, **errors(404)},
    )
    def get(self, request, job_id):
        return Response(BulkJobSerializer(_job_or_404(request, job_id)).data)


class BulkAttestationResults(ApiView):
    @extend_schema(
        operation_id="listBulkAttestationResults",
        summary="A bulk attestation job's outcome per row, in row order",
        description=f"A page of {RESULTS_PAGE_SIZE} rows unless size says otherwise (at most "
        f"{RESULTS_MAX_PAGE_SIZE}); links.next continues from the last row shown. A row "
        "still waiting for the job has no outcome yet and is not listed.",
        parameters=[
            *paging_parameters(default=RESULTS_PAGE_SIZE, maximum=RESULTS_MAX_PAGE_SIZE),
            *CORRELATION_HEADERS,
        ],
        responses={200: BulkResultCollection, **errors(404)},
    )
    def get(self, request, job_id):
        job = _job_or_404(request, job_id)
        size = page_size(request, default=RESULTS_PAGE_SIZE, maximum=RESULTS_MAX_PAGE_SIZE)
        rows, token = keyset_page(
            BulkRow.objects.filter(job=job)
            .exclude(outcome=Outcome.PENDING)
            .select_related("acceptance")
            .only(
                "id",
                "number",
                "tenant_id",
                "outcome",
                "code",
                "message",
                "acceptance__public_id",
            ),
            request=request,
            size=size,
            key=("number", "id"),
            scope=f"bulkresults.{job.public_id}",
        )
        links = None
        if token:
            links = next_link(
                reverse("api:bulk-attestation-results", args=[job.public_id]), size, token
            )
        items = BulkResultSerializer(rows, many=True).data
        return Response(collection(items, links))  # type: ignore[arg-type]  # many=True gives a ListSerializer; its data is a list
