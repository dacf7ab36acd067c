"""Django's ``date`` filter, with each answer remembered.

Loaded as a builtin after Django's own (settings.TEMPLATES), so every ``|date:`` in every
template is this one. Formatting a date in the portal's format (portal/formats) costs about a
tenth of a millisecond, most of it looking up translated month names; a list shows two a row,
and the same days come back page after page. The answer depends only on the value as given
(its time zone included), the format and the language, so it is kept per those, in a bounded
cache per process.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

from django import template
from django.template.defaultfilters import date as django_date
from django.utils import translation

register = template.Library()

REMEMBERED = 8192


@lru_cache(maxsize=REMEMBERED)
def _formatted(value: datetime.date, zone: str, arg: str | None, language: str | None) -> str:
    # ``zone`` is part of the key only: aware datetimes in two zones can be equal instants.
    return django_date(value, arg)


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Format a date according to the given format (Django's ``date``, remembered)."""
    if isinstance(value, datetime.date) and (arg is None or isinstance(arg, str)):
        zone = str(value.tzinfo) if isinstance(value, datetime.datetime) else ""
        return _formatted(value, zone, arg, translation.get_language())
    return django_date(value, arg)
