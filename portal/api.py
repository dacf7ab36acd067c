"""What every REST endpoint under /v1/ shares: the base view, the error shape,
idempotent POSTs and keyset pagination, in Partner Center's shapes."""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from portal import permissions
from portal.api_auth import BearerTokenAuthentication
from portal.models import IdempotencyRecord

logger = logging.getLogger("portal.api")

ERROR_SOURCE = "MCAPortal"
IDEMPOTENCY_WINDOW = datetime.timedelta(hours=24)

# Partner Center's error codes where it has one; the HTTP status otherwise.
INVALID_INPUT = 800002
NOT_FOUND = 1000
CUSTOMER_NOT_FOUND = 60003
AGREEMENT_ALREADY_EXISTS = 600061
RESELLER_CANNOT_ATTEST = 900123
ORDER_NEEDS_ACCEPTANCE = 13605

# No request body of this API nests deeper than a few levels; this leaves room for clients
# that wrap it, and keeps a hostile body from exhausting the stack anywhere downstream.
MAX_JSON_DEPTH = 32


class ApiError(exceptions.APIException):
    """An error with Partner Center's numeric code, e.g. ``ApiError(409, 600061, "...")``."""

    def __init__(
        self, status_code: int, code: int, description: str, data: list | None = None
    ) -> None:
        self.status_code = status_code
        self.code_number = code
        self.description = str(description)
        self.data = data or []
        super().__init__(detail=self.description)


def invalid_input(description: str, data: list | None = None) -> ApiError:
    return ApiError(400, INVALID_INPUT, description, data)


def forbidden() -> ApiError:
    """R2 refused: the one 403 answer for a role that may not do this."""
    return ApiError(403, 403, GENERIC_DESCRIPTIONS[403])


def error_body(code: int, description: str, data: list | None = None) -> dict:
    return {"code": code, "description": description, "data": data or [], "source": ERROR_SOURCE}


def _flatten(detail, prefix: str = "") -> list[str]:
    """Serializer errors as "primaryContact.email: Enter a valid email address." lines."""
    if isinstance(detail, dict):
        lines = []
        for key, value in detail.items():
            if key == "non_field_errors":
                name = prefix
            elif isinstance(key, int):
                name = f"{prefix}[{key}]"
            else:
                name = f"{prefix}.{key}" if prefix else key
            lines.extend(_flatten(value, name))
        return lines
    if isinstance(detail, list):
        lines = []
        for index, value in enumerate(detail):
            if isinstance(value, dict):
                lines.extend(_flatten(value, f"{prefix}[{index}]"))
            else:
                lines.extend(_flatten(value, prefix))
        return lines
    return [f"{prefix}: {detail}" if prefix else str(detail)]


def _django_validation_lines(error: DjangoValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            f"{field}: {message}" if field != "__all__" else message
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return list(error.messages)


# Services raise ValidationErrors carrying Partner Center's code; this is their HTTP status.
STATUS_FOR_CODE = {
    AGREEMENT_ALREADY_EXISTS: 409,
    RESELLER_CANNOT_ATTEST: 403,
    ORDER_NEEDS_ACCEPTANCE: 403,
}

GENERIC_DESCRIPTIONS = {
    401: "Authentication is required: send 'Authorization: Bearer <token>' with a valid token.",
    403: "Your role does not allow this.",
    404: "Not found.",
}


def exception_handler(exc: Exception, context: dict) -> Response:
    """Every error under /v1/ as ``{"code", "description", "data", "source"}``, never HTML."""
    headers = {}
    if isinstance(exc, Http404):
        exc = ApiError(404, NOT_FOUND, str(exc) or GENERIC_DESCRIPTIONS[404])
    elif isinstance(exc, RequestDataTooBig):
        # Raised as DRF reads the body, before any work: nothing was saved or claimed.
        exc = body_too_large()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = forbidden()
    elif isinstance(exc, DjangoValidationError):
        lines = _django_validation_lines(exc)
        code = getattr(exc, "code_number", INVALID_INPUT)
        status_code = STATUS_FOR_CODE.get(code, 400)
        exc = ApiError(status_code, code, " ".join(lines), lines)

    if isinstance(exc, ApiError):
        body = error_body(exc.code_number, exc.description, exc.data)
        status_code = exc.status_code
    elif isinstance(exc, exceptions.ValidationError):
        lines = _flatten(exc.detail)
        body = error_body(INVALID_INPUT, " ".join(lines), lines)
        status_code = 400
    elif isinstance(exc, exceptions.ParseError):
        body = error_body(INVALID_INPUT, f"The request body is not valid JSON: {exc.detail}")
        status_code = 400
    elif isinstance(exc, exceptions.APIException):
        status_code = exc.status_code
        description = exc.detail if isinstance(exc.detail, str) else " ".join(_flatten(exc.detail))
        if isinstance(exc, exceptions.NotAuthenticated):
            description = GENERIC_DESCRIPTIONS[401]
        elif isinstance(exc, exceptions.PermissionDenied):
            description = GENERIC_DESCRIPTIONS[403]
        body = error_body(status_code, str(description))
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(exc.wait)
    else:
        request = context.get("request")
        logger.error("Unhandled error in %s", request.path if request else "the API", exc_info=exc)
        body = error_body(500, "Something went wrong on our side. Try again later.")
        status_code = 500
    return Response(body, status=status_code, headers=headers)


def body_too_large() -> ApiError:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return ApiError(
        413,
        413,
        f"The request body is too large: this API accepts at most {limit} bytes "
        f"({limit / 1024 / 1024:g} MB).",
    )


def _nested_deeper_than(data: object, limit: int) -> bool:
    """Whether lists and objects nest more than ``limit`` levels; iterative, so it can't recurse."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser that answers 400 for a body nested too deeply instead of crashing.

    The C decoder raises RecursionError past the interpreter's recursion limit; a body just
    under it parses but would blow the stack in the fingerprint or the serializers.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise self.too_deep() from error
        if _nested_deeper_than(data, MAX_JSON_DEPTH):
            raise self.too_deep()
        return data

    @staticmethod
    def too_deep() -> ApiError:
        return invalid_input(
            "The request body is malformed JSON for this API: it nests lists or objects "
            f"more than {MAX_JSON_DEPTH} levels deep."
        )


class IsAgent(BasePermission):
    def has_permission(self, request, view) -> bool:
        return permissions.is_agent(request.user)


class ApiView(APIView):
    """Token-authenticated JSON only. No session, hence no CSRF; the token is the credential."""

    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [IsAgent]
    renderer_classes = [JSONRenderer]
    parser_classes = [BoundedJSONParser]

    @classmethod
    def as_view(cls, **initkwargs):
        # LoginRequiredMiddleware guards pages by session; the API authenticates by token.
        return login_not_required(super().as_view(**initkwargs))

    def get_exception_handler(self):
        return exception_handler

    def permission_denied(self, request, message=None, code=None):
        if request.authenticators and not request.successful_authenticator:
            raise exceptions.NotAuthenticated()
        raise forbidden()

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        for header in ("MS-CorrelationId", "MS-RequestId"):
            value = request.headers.get(header)
            if value:
                response[header] = value[:100]
        return response


class NotFoundView(ApiView):
    """Any /v1/ path that names no endpoint: a JSON 404 whatever the method."""

    authentication_classes = []
    permission_classes = [AllowAny]
    schema = None

    def dispatch(self, request, *args, **kwargs):
        self.args, self.kwargs = args, kwargs
        self.request = self.initialize_request(request, *args, **kwargs)
        self.headers = self.default_response_headers
        response = exception_handler(
            ApiError(404, NOT_FOUND, "No such endpoint. See /v1/docs/."), {}
        )
        self.response = self.finalize_response(self.request, response, *args, **kwargs)
        return self.response


# --- Idempotent POSTs -------------------------------------------------------


def _request_fingerprint(request) -> str:
    """The method, path and parsed body: a retry with reformatted JSON is still the same call."""
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), default=str)
    payload = f"{request.method} {request.path}\n{body}"
    return hashlib.sha256(payload.encode()).hexdigest()


def _replay(record: IdempotencyRecord) -> Response:
    response = Response(record.response_body, status=record.status_code)
    response["MS-Idempotent-Replay"] = "true"
    return response


def idempotent(handler: Callable) -> Callable:
    """A POST with ``MS-RequestId`` runs once per agent and id within 24 hours.

    The record is inserted first, in the same transaction as the work: a
    concurrent twin blocks on the unique index until the first commits, then
    finds the stored answer and replays it. Errors the client caused (4xx) are
    stored too; an unexpected 500 rolls everything back so a retry can succeed.
    """

    @functools.wraps(handler)
    def wrapper(view: ApiView, request, *args, **kwargs) -> Response:
        request_id = request.headers.get("MS-RequestId", "").strip()
        if not request_id:
            return handler(view, request, *args, **kwargs)
        if len(request_id) > 100:
            raise invalid_input("MS-RequestId: at most 100 characters.")
        fingerprint = _request_fingerprint(request)
        with transaction.atomic():
            record = _claim(request.user, request_id, fingerprint)
            if record.status_code:
                if record.request_hash != fingerprint:
                    raise ApiError(
                        422,
                        422,
                        "MS-RequestId was already used with a different request in the last "
                        "24 hours. Use a new request id for a new request.",
                    )
                return _replay(record)
            try:
                with transaction.atomic():
                    response = handler(view, request, *args, **kwargs)
            except (
                exceptions.APIException,
                DjangoValidationError,
                DjangoPermissionDenied,
                Http404,
            ) as error:
                response = view.handle_exception(error)
            record.status_code = response.status_code
            stored = getattr(response, "stored_data", response.data)
            record.response_body = json.loads(JSONRenderer().render(stored) or b"null")
            record.save(update_fields=["status_code", "response_body"])
        return response

    return wrapper


def _claim(user, request_id: str, fingerprint: str) -> IdempotencyRecord:
    """This agent's record for the id: the stored one, or a new in-progress one (status 0)."""
    # The agent's expired records go as it makes new ones: the table stays a day deep.
    IdempotencyRecord.objects.filter(
        user=user, created_at__lt=timezone.now() - IDEMPOTENCY_WINDOW
    ).delete()
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(
                user=user, request_id=request_id, request_hash=fingerprint, status_code=0
            )
    except IntegrityError:
        # The twin committed first (we waited on its row): read its answer, locked.
        return IdempotencyRecord.objects.select_for_update().get(user=user, request_id=request_id)


# --- Collections and keyset pagination --------------------------------------

CONTINUATION_SALT = "portal.api.continuation"
MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 100


def collection(items: list, links: dict | None = None) -> dict:
    body: dict = {"totalCount": len(items), "items": items}
    if links:
        body["links"] = links
    body["attributes"] = {"objectType": "Collection"}
    return body


def page_size(request) -> int:
    raw = request.query_params.get("size", str(DEFAULT_PAGE_SIZE))
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise invalid_input(f"size: a whole number from 1 to {MAX_PAGE_SIZE}.")
    return size


def keyset_page(
    queryset: QuerySet, *, request, size: int, key: tuple[str, str], scope: str
) -> tuple[list, str | None]:
    """One page after the continuation token; stable under inserts because it seeks a key.

    The token is signed (tamper-proof) and bound to its collection by ``scope``.
    """
    token = request.headers.get("MS-ContinuationToken") or request.query_params.get(
        "continuationToken"
    )
    first, second = key
    queryset = queryset.order_by(first, second)
    if token:
        try:
            after = signing.loads(token, salt=f"{CONTINUATION_SALT}.{scope}")
            after_first, after_second = after
        except (signing.BadSignature, ValueError, TypeError) as error:
            raise invalid_input("MS-ContinuationToken: not a valid continuation token.") from error
        queryset = queryset.filter(
            Q(**{f"{first}__gt": after_first})
            | Q(**{first: after_first, f"{second}__gt": after_second})
        )
    rows = list(queryset[: size + 1])
    if len(rows) <= size:
        return rows, None
    rows = rows[:size]
    last = rows[-1]
    next_token = signing.dumps(
        [getattr(last, first), getattr(last, second)],
        salt=f"{CONTINUATION_SALT}.{scope}",
        compress=True,
    )
    return rows, next_token


def next_link(path: str, size: int, token: str) -> dict:
    from urllib.parse import urlencode

    return {
        "next": {
            "uri": f"{path}?{urlencode({'size': size, 'continuationToken': token})}",
            "method": "GET",
            "headers": [{"key": "MS-ContinuationToken", "value": token}],
        }
    }


def absolute(path: str) -> str:
    """Links that leave the API are built from PORTAL_BASE_URL, never the Host header."""
    return settings.PORTAL_BASE_URL + path


# --- OpenAPI building blocks -------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    code = serializers.IntegerField()
    description = serializers.CharField()
    data = serializers.ListField(child=serializers.CharField())
    source = serializers.CharField()


class LinkHeaderSerializer(serializers.Serializer):
    key = serializers.CharField()
    value = serializers.CharField()


class LinkSerializer(serializers.Serializer):
    uri = serializers.CharField()
    method = serializers.CharField()
    headers = LinkHeaderSerializer(many=True, required=False)


class AttributesSerializer(serializers.Serializer):
    objectType = serializers.CharField()  # noqa: N815 - Partner Center's wire name


def collection_serializer(item: type[serializers.Serializer], name: str, paged: bool = False):
    """The schema of a ``{"totalCount", "items", "links", "attributes"}`` collection."""
    fields: dict = {
        "totalCount": serializers.IntegerField(),
        "items": item(many=True),
        "attributes": AttributesSerializer(),
    }
    if paged:
        links = type(f"{name}Links", (serializers.Serializer,), {"next": LinkSerializer()})
        fields["links"] = links(required=False)
    return type(name, (serializers.Serializer,), fields)


def errors(*codes: int) -> dict:
    return dict.fromkeys((401, *codes), ErrorSerializer)


CORRELATION_HEADERS = [
    OpenApiParameter("MS-CorrelationId", str, OpenApiParameter.HEADER, description="Echoed back."),
]
REQUEST_ID_HEADER = OpenApiParameter(
    "MS-RequestId",
    str,
    OpenApiParameter.HEADER,
    description="Makes the POST idempotent: a retry within 24 hours replays the first answer.",
)
