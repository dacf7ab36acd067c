"""Names sorted the way a reader of the page's language expects them, by ICU's collation:
in Czech "Čad" after "Cyprus", "Chile" after "Hongkong", "Řecko" after "Rusko"; in English
"Åland" among the A's. Lists the database sorts by an index stay the database's."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import TypeVar

import icu
from django.conf import settings
from django.utils import translation
from django.utils.choices import BaseChoiceIterator
from django_countries import countries

T = TypeVar("T")


@cache
def _collator(language: str) -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale(language))


def collation_key(language: str | None = None) -> Callable[[str], bytes]:
    """A sort key for strings in ``language`` (the active one if None)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return _collator(language).getSortKey


def sorted_by_name(
    items: Iterable[T], name: Callable[[T], str] = str, *, language: str | None = None
) -> list[T]:
    """``items`` in the collation order of their ``name`` in ``language``."""
    key = collation_key(language)
    return sorted(items, key=lambda item: key(name(item)))


@cache
def country_choices(language: str) -> tuple[tuple[str, str], ...]:
    """Every country as (code, name), named in ``language`` and in its collation order, once
    per process: translating and sorting ~250 names took a tenth of the list page's time."""
    with translation.override(language):
        named = [(code, str(name)) for code, name in countries]
    return tuple(sorted_by_name(named, lambda choice: choice[1], language=language))


def active_country_choices() -> tuple[tuple[str, str], ...]:
    """The countries for the page's language."""
    return country_choices(translation.get_language() or settings.LANGUAGE_CODE)


class CanonicalChoices(BaseChoiceIterator):
    """Choices already as (value, label) pairs of text, which Django then takes as they are.
    A filter field (django-filter's ChoiceIterator) normalises plain choices again each time
    they are read: twice a page, ~250 countries each time."""

    def __init__(self, choices: tuple[tuple[str, str], ...]) -> None:
        self.choices = choices

    def __iter__(self):
        return iter(self.choices)

    def __len__(self) -> int:
        return len(self.choices)


@cache
def country_filter_choices(language: str) -> CanonicalChoices:
    """country_choices(language) for a filter field."""
    return CanonicalChoices(country_choices(language))
