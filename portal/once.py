"""Secrets shown once (R7): credentials, invitation links, API tokens.

What a POST creates waits in the session only until the one page that shows it, which takes
it and so forgets it: a reload, the back button or another tab finds nothing. Each secret is
kept under what it belongs to (a customer, an invitation, an agent), so two tabs never take
each other's, and a forgotten one can't grow the session past ``limit``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


class ShownOnce:
    def __init__(self, key: str, limit: int = 5) -> None:
        self.key = key
        self.limit = limit

    def keep(self, request: HttpRequest, owner: object, value: Any) -> None:
        kept = request.session.get(self.key, {})
        kept.pop(str(owner), None)
        kept[str(owner)] = value
        # Oldest first (dicts keep insertion order).
        while len(kept) > self.limit:
            kept.pop(next(iter(kept)))
        request.session[self.key] = kept

    def take(self, request: HttpRequest, owner: object) -> Any | None:
        kept = request.session.get(self.key, {})
        value = kept.pop(str(owner), None)
        if kept:
            request.session[self.key] = kept
        else:
            # Nothing left to show: the session keeps no trace of the secret.
            request.session.pop(self.key, None)
        return value
