"""Work in progress kept server-side in the session, one draft per open page.

A multi-step form (New customer, New order) keeps what was typed under an id that travels
in the page's URL, so two tabs never overwrite each other and no step retypes anything.
"""

from __future__ import annotations

import uuid


def draft_id(value) -> str | None:
    """A well-formed draft id from a URL or form value, else None."""
    try:
        return str(uuid.UUID(str(value))) if value else None
    except ValueError:
        return None


class SessionDrafts:
    def __init__(self, key: str, limit: int) -> None:
        self.key = key
        self.limit = limit

    def _all(self, request) -> dict:
        return request.session.get(self.key, {})

    def get(self, request, draft_id) -> dict | None:
        return self._all(request).get(str(draft_id)) if draft_id else None

    def save(self, request, data: dict, draft_id: str | None = None) -> str:
        """Store ``data`` under ``draft_id`` (a new id unless it names a kept draft)."""
        drafts = self._all(request)
        if draft_id is None or str(draft_id) not in drafts:
            draft_id = str(uuid.uuid4())
        drafts.pop(draft_id, None)
        drafts[draft_id] = data
        # Oldest first (dicts keep insertion order): forgotten tabs can't grow the session.
        while len(drafts) > self.limit:
            drafts.pop(next(iter(drafts)))
        request.session[self.key] = drafts
        return draft_id

    def drop(self, request, draft_id) -> None:
        drafts = self._all(request)
        if drafts.pop(str(draft_id), None) is not None:
            request.session[self.key] = drafts
