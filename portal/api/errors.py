"""Every error under /v1/ as ``{"code", "description", "data", "source"}``, never HTML.

Partner Center's numeric code where it has one, the HTTP status otherwise. Domain
exceptions (a duplicate attestation, a refused order) come from apps above this one, so
their status and code are registered here by the composition root, portal/api_urls.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import get_resolver
from rest_framework import exceptions
from rest_framework.response import Response

logger = logging.getLogger("portal.api")

ERROR_SOURCE = "MCAPortal"

# Partner Center's generic codes; the codes of domain errors live in portal/api_urls.py.
INVALID_INPUT = 800002
NOT_FOUND = 1000
CUSTOMER_NOT_FOUND = 60003

GENERIC_DESCRIPTIONS = {
    401: "Authentication is required: send 'Authorization: Bearer <token>' with a valid token.",
    403: "Your role does not allow this.",
    404: "Not found.",
}


class ApiError(exceptions.APIException):
    """An error with Partner Center's numeric code, e.g. ``ApiError(404, NOT_FOUND, "...")``."""

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


def field_error(field: str, error: DjangoValidationError) -> ApiError:
    """A Django ValidationError about one field of the body, answered as a serializer's error
    on that field is (the exception handler's lines, "field: message")."""
    lines = [f"{field}: {message}" for message in error.messages]
    return invalid_input(" ".join(lines), lines)


def forbidden() -> ApiError:
    """R2 refused: the one 403 answer for a role that may not do this."""
    return ApiError(403, 403, GENERIC_DESCRIPTIONS[403])


def body_too_large() -> ApiError:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return ApiError(
        413,
        413,
        f"The request body is too large: this API accepts at most {limit} bytes "
        f"({limit / 1024 / 1024:g} MB).",
    )


def error_body(code: int, description: str, data: list | None = None) -> dict:
    return {"code": code, "description": description, "data": data or [], "source": ERROR_SOURCE}


# --- Domain errors ------------------------------------------------------------


def messages_of(error: Exception) -> str:
    """A Django ValidationError's messages as one sentence; any other exception's text."""
    if isinstance(error, DjangoValidationError):
        return " ".join(error.messages)
    return str(error)


class DomainError(NamedTuple):
    """How the API answers one domain exception: ``(status, code)``, and optionally the
    description (the exception's messages unless ``describe`` says otherwise)."""

    status: int
    code: int
    describe: Callable[[Exception], str] = messages_of


_domain_errors: dict[type[Exception], DomainError] = {}


def register_domain_errors(table: Mapping[type[Exception], tuple]) -> None:
    """Answer each exception class of ``table`` (and its subclasses) with its status and code."""
    _domain_errors.update({error: DomainError(*answer) for error, answer in table.items()})


def domain_error(exc: Exception) -> ApiError | None:
    """The registered answer to ``exc``, looked up by its most specific registered class."""
    if not _domain_errors:
        # The table is registered as the root URLconf imports the /v1/ one; a view called
        # without resolving a URL first (a RequestFactory in a test) can get here before.
        get_resolver().url_patterns  # noqa: B018 - loading the URLconf is the point
    for cls in type(exc).__mro__:
        answer = _domain_errors.get(cls)
        if answer is not None:
            return ApiError(answer.status, answer.code, answer.describe(exc))
    return None


# --- The exception handler ------------------------------------------------------


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


def exception_handler(exc: Exception, context: dict) -> Response:
    """Every error under /v1/ as ``{"code", "description", "data", "source"}``, never HTML."""
    headers = {}
    if mapped := domain_error(exc):
        exc = mapped
    elif isinstance(exc, Http404):
        exc = ApiError(404, NOT_FOUND, str(exc) or GENERIC_DESCRIPTIONS[404])
    elif isinstance(exc, RequestDataTooBig):
        # Raised as DRF reads the body, before any work: nothing was saved or claimed.
        exc = body_too_large()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = forbidden()
    elif isinstance(exc, DjangoValidationError):
        lines = _django_validation_lines(exc)
        exc = invalid_input(" ".join(lines), lines)

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
        # Only some exceptions carry these: the view sets auth_header on NotAuthenticated and
        # AuthenticationFailed; Throttled has wait.
        auth_header = getattr(exc, "auth_header", None)
        if auth_header:
            headers["WWW-Authenticate"] = auth_header
        wait = getattr(exc, "wait", None)
        if wait:
            headers["Retry-After"] = str(wait)
    else:
        request = context.get("request")
        logger.error("Unhandled error in %s", request.path if request else "the API", exc_info=exc)
        body = error_body(500, "Something went wrong on our side. Try again later.")
        status_code = 500
    return Response(body, status=status_code, headers=headers)
