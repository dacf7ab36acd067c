"""Collections in Partner Center's shape, paged by a signed keyset continuation token."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from drf_spectacular.utils import OpenApiParameter

from portal.api.errors import invalid_input

# Signed tokens already handed out carry this salt: it outlives any module's name.
CONTINUATION_SALT = "portal.api.continuation"
MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 100


def collection(items: list, links: dict | None = None) -> dict:
    body: dict = {"totalCount": len(items), "items": items}
    if links:
        body["links"] = links
    body["attributes"] = {"objectType": "Collection"}
    return body


def page_size(request, *, default: int = DEFAULT_PAGE_SIZE, maximum: int = MAX_PAGE_SIZE) -> int:
    raw = request.query_params.get("size", str(default))
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= maximum:
        raise invalid_input(f"size: a whole number from 1 to {maximum}.")
    return size


def paging_parameters(
    *, default: int = DEFAULT_PAGE_SIZE, maximum: int = MAX_PAGE_SIZE
) -> list[OpenApiParameter]:
    """The schema of ``size`` and the continuation token, as page_size and keyset_page read
    them."""
    return [
        OpenApiParameter(
            "size",
            {"type": "integer", "minimum": 1, "maximum": maximum, "default": default},
            description=f"Page size: {default} unless given, at most {maximum}.",
        ),
        OpenApiParameter(
            "continuationToken",
            str,
            description="The token of links.next from the previous page, as it came (any "
            "other value is answered 400). Or send it as MS-ContinuationToken.",
        ),
        OpenApiParameter(
            "MS-ContinuationToken",
            str,
            OpenApiParameter.HEADER,
            description="The token of links.next from the previous page, as it came.",
        ),
    ]


def after_key(key: tuple[str, str], after: tuple) -> Q:
    """The rows after ``after`` in the order ``key`` (``"-name"`` for descending).

    The OR alone says it, but PostgreSQL can only apply it row by row, walking the index
    from the first row of the collection: a deep page would cost as much as every page
    before it. The bound on the leading column, implied by the OR, is an index range.
    """
    first, second = key
    descending = first.startswith("-")
    if descending != second.startswith("-"):
        raise ValueError("Both columns of a keyset run the same way.")
    first, second = first.removeprefix("-"), second.removeprefix("-")
    beyond = "lt" if descending else "gt"
    after_first, after_second = after
    return Q(**{f"{first}__{beyond}e": after_first}) & (
        Q(**{f"{first}__{beyond}": after_first})
        | Q(**{first: after_first, f"{second}__{beyond}": after_second})
    )


def _to_token(value):
    # Signed tokens are JSON: a moment goes in as its ISO text, which the field reads back.
    return value.isoformat() if isinstance(value, datetime.datetime) else value


def keyset_page(
    queryset: QuerySet, *, request, size: int, key: tuple[str, str], scope: str
) -> tuple[list, str | None]:
    """One page after the continuation token; stable under inserts because it seeks a key.

    The token is signed (tamper-proof) and bound to its collection by ``scope``; it holds
    the last row's values of ``key``, so every page, the first or the ten-thousandth, is one
    index range of ``size`` + 1 rows.
    """
    token = request.headers.get("MS-ContinuationToken") or request.query_params.get(
        "continuationToken"
    )
    queryset = queryset.order_by(*key)
    fields = [name.removeprefix("-") for name in key]
    if token:
        try:
            after = signing.loads(token, salt=f"{CONTINUATION_SALT}.{scope}")
            after_first, after_second = after
            values = tuple(
                queryset.model._meta.get_field(name).to_python(value)
                for name, value in zip(fields, (after_first, after_second), strict=True)
            )
        except (signing.BadSignature, ValidationError, ValueError, TypeError) as error:
            raise invalid_input("MS-ContinuationToken: not a valid continuation token.") from error
        queryset = queryset.filter(after_key(key, values))
    rows = list(queryset[: size + 1])
    if len(rows) <= size:
        return rows, None
    rows = rows[:size]
    last = rows[-1]
    next_token = signing.dumps(
        [_to_token(getattr(last, name)) for name in fields],
        salt=f"{CONTINUATION_SALT}.{scope}",
        compress=True,
    )
    return rows, next_token


def next_link(path: str, size: int, token: str, query: dict[str, str] | None = None) -> dict:
    """links.next: the same collection (``query`` holds its filters) from after the token."""
    parameters = {**(query or {}), "size": size, "continuationToken": token}
    return {
        "next": {
            "uri": f"{path}?{urlencode(parameters)}",
            "method": "GET",
            "headers": [{"key": "MS-ContinuationToken", "value": token}],
        }
    }


def absolute(path: str) -> str:
    """Links that leave the API are built from PORTAL_BASE_URL, never the Host header."""
    return settings.PORTAL_BASE_URL + path
