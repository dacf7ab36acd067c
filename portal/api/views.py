"""The base view of every endpoint under /v1/: bearer token, JSON in and out, agents only."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.decorators import login_not_required
from rest_framework import exceptions
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from portal import permissions
from portal.api.auth import BearerTokenAuthentication
from portal.api.errors import NOT_FOUND, ApiError, exception_handler, forbidden, invalid_input
from portal.dates import iso_dates

# No request body of this API nests deeper than a few levels; this leaves room for clients
# that wrap it, and keeps a hostile body from exhausting the stack anywhere downstream.
MAX_JSON_DEPTH = 32


def _nested_deeper_than(data: object, limit: int) -> bool:
    """Whether lists and objects nest more than ``limit`` levels; iterative, so it can't recurse."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children: Iterable[object]
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

    def dispatch(self, request, *args, **kwargs):
        # Read by programs: a message's dates are ISO 8601, as every date field of the API is.
        with iso_dates():
            return super().dispatch(request, *args, **kwargs)

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
