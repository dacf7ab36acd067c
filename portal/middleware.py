import json
import re
from collections.abc import Iterable, Iterator

from django.core.exceptions import BadRequest, RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.shortcuts import redirect, render
from django.urls import reverse

from portal.api.errors import INVALID_INPUT, error_body

# What no database stores as text: PostgreSQL refuses NUL, and half of a UTF-16 surrogate
# pair is not a character (UTF-8 can't encode it; psycopg and sqlite3 both fail on it).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
API_PREFIX = "/v1/"
JSON_TYPE = re.compile(r"^application/([\w.+-]+\+)?json$")
ECHOED_API_HEADERS = ("MS-CorrelationId", "MS-RequestId")


def _unstorable(strings: Iterable[str]) -> bool:
    return any(UNSTORABLE.search(value) for value in strings)


def _keys_and_values(data) -> Iterator[str]:
    """Every key and value of a QueryDict (a query string or a form)."""
    for key, values in data.lists():
        yield key
        yield from values


def _strings_in_json(data: object) -> Iterator[str]:
    """Every key and string value of a parsed JSON document, without recursion."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            yield from value.keys()
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


class UnstorableInputMiddleware:
    """Input no database can store is the client's error (400), refused in one place.

    Otherwise a NUL in a path, a query value, a form field, a JSON string, a cookie or a
    header reaches a query and PostgreSQL answers with an error (a 500), while SQLite takes
    it. Bytes that aren't UTF-8 need no guard: Django keeps them percent-encoded in the path
    and replaces them in query strings and forms, so they can't reach the database as such.
    The API answers in its own error shape; pages get the 400 page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_api = request.path_info.startswith(API_PREFIX)
        part = self.unstorable_part(request, is_api)
        if part is None:
            return self.get_response(request)
        description = (
            "The portal can't store a character in the request's "
            f"{part} (a NUL byte or half of a surrogate pair). Leave it out and try again."
        )
        if not is_api:
            raise BadRequest(description)
        response = JsonResponse(error_body(INVALID_INPUT, description), status=400)
        for header in ECHOED_API_HEADERS:
            value = request.headers.get(header)
            if value and not _unstorable([value]):
                response[header] = value[:100]
        return response

    def unstorable_part(self, request: HttpRequest, is_api: bool) -> str | None:
        if _unstorable([request.path_info]):
            return "address"
        if _unstorable(_keys_and_values(request.GET)):
            return "query string"
        if _unstorable([*request.COOKIES, *request.COOKIES.values()]):
            return "cookies"
        headers = (value for key, value in request.META.items() if key.startswith("HTTP_"))
        if _unstorable(value for value in headers if isinstance(value, str)):
            return "headers"
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        if JSON_TYPE.match(request.content_type or ""):
            if self.json_is_unstorable(request):
                return "body"
        elif not is_api and self.form_is_unstorable(request):
            return "form"
        return None

    @staticmethod
    def json_is_unstorable(request: HttpRequest) -> bool:
        try:
            data = json.loads(request.body)
        except (RequestDataTooBig, UnreadablePostError, ValueError, RecursionError):
            # Too big, unreadable or not JSON: the view answers that as it always does.
            return False
        return _unstorable(_strings_in_json(data))

    @staticmethod
    def form_is_unstorable(request: HttpRequest) -> bool:
        """Fields and file names of a form POST; a body Django can't parse raises its own 400."""
        try:
            fields, files = request.POST, request.FILES
        except UnreadablePostError:
            return False
        names = [upload.name or "" for _field, uploads in files.lists() for upload in uploads]
        return _unstorable([*_keys_and_values(fields), *files, *names])


class PasswordChangeRequiredMiddleware:
    """A customer admin's handed-over password must be replaced at the first sign-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.customer_id
            and user.must_change_password
        ):
            allowed = {
                reverse("admin_center:password_change"),
                reverse("admin_center:logout"),
                reverse("logout"),
                reverse("set_language"),
            }
            if request.path not in allowed and not request.path.startswith(("/static/", "/admin/")):
                return redirect(
                    f"{reverse('admin_center:password_change')}?next={request.get_full_path()}"
                )
        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """A view's method guard answers 405 with an empty body, which browsers show as a bare
    error; give people a page that says what to do. The API keeps its own JSON errors."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.path.startswith("/v1/"):
            return response
        page = render(request, "405.html", status=405)
        page["Allow"] = response.get("Allow", "")
        return page


class ContentSecurityPolicyMiddleware:
    """Scripts, styles and everything else only from the portal itself; no framing.

    The portal has no inline scripts, so a script injected into a page can't run. Styles
    allow inline attributes (Bootstrap's and the Django admin's). The API's Swagger page
    alone runs the inline script its vendor ships with.
    """

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY
        self.docs_policy = settings.CONTENT_SECURITY_POLICY_API_DOCS

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            docs = request.path.startswith("/v1/docs/")
            response["Content-Security-Policy"] = self.docs_policy if docs else self.policy
        return response

