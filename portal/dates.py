"""A date inside a message (a validation error, a row's finding), written when the message is.

A message's text is worked out when it is shown, not when the rule fails: ``message_date``
puts off writing its date until then, so the date reads as the page around it does (the active
language's DATE_FORMAT: "Nov. 28, 2026" / "28. listopadu 2026"). The REST API is read by
programs and writes dates as ISO 8601 in every field ("2026-11-28"); within ``iso_dates()``
(every /v1/ request, and the bulk rows of a job started through it) a message's dates read so
too, whatever the language of its words.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils.formats import date_format

_iso: ContextVar[bool] = ContextVar("iso_dates", default=False)


class MessageDate:
    """A date that writes itself when a message is formatted (``%(date)s``)."""

    __slots__ = ("value",)

    def __init__(self, value: datetime.date) -> None:
        if isinstance(value, datetime.datetime):
            value = value.date()
        self.value = value

    def __str__(self) -> str:
        if _iso.get():
            return self.value.isoformat()
        return date_format(self.value, "DATE_FORMAT")

    def __repr__(self) -> str:
        return f"MessageDate({self.value!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MessageDate) and other.value == self.value

    def __hash__(self) -> int:
        # ValidationError hashes its params (Django compares errors by them).
        return hash(self.value)


def message_date(value: datetime.date) -> MessageDate:
    return MessageDate(value)


@contextmanager
def iso_dates() -> Iterator[None]:
    """Within it, a message's dates read as ISO 8601, as the API's fields do."""
    token = _iso.set(True)
    try:
        yield
    finally:
        _iso.reset(token)
