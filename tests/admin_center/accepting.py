"""Pressing Accept on an admin center request page as a person does: the page is read first,
and what it carries (the signed document it showed, its language) goes with the ticks."""

from __future__ import annotations

import re

HIDDEN = re.compile(r'<input type="hidden" name="(document|language)" value="([^"]*)">')


def carried(client, page: str, language: str | None = None) -> dict[str, str]:
    """The hidden fields of the request page at ``page`` (in ``language`` if asked)."""
    shown = client.get(page, {"language": language} if language else {})
    return dict(HIDDEN.findall(shown.content.decode()))


def press_accept(client, page: str, data: dict | None = None, **extra):
    """POST the page's form (``page`` + "accept/") with ``data`` and what the page carries."""
    data = dict(data or {})
    fields = carried(client, page, data.get("language"))
    fields.update(data)
    return client.post(page + "accept/", fields, **extra)
