"""Collections in Partner Center's shape, paged by a signed keyset continuation token."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.db.models import Q, QuerySet

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
