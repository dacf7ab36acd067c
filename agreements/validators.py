import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.dates import message_date

# A batch's today (one_today): its rows are held to one date, worked out once for them all.
_batch_today: ContextVar[datetime.date | None] = ContextVar("batch_today", default=None)


def portal_today() -> datetime.date:
    """Today in the portal's time zone (settings.TIME_ZONE), the reference for R1."""
    return _batch_today.get() or timezone.localdate()


@contextmanager
def one_today() -> Iterator[datetime.date]:
    """Within it, portal_today() is the day it was entered: a batch of rows is checked against
    one date (worked out once, not once a row)."""
    token = _batch_today.set(_batch_today.get() or timezone.localdate())
    try:
        yield portal_today()
    finally:
        _batch_today.reset(token)


def validate_not_in_future(value: datetime.date) -> None:
    """R1: the date an agreement was accepted can never be after today."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if value > portal_today():
        raise ValidationError(
            _("The date the agreement was accepted can't be in the future (today is %(today)s)."),
            code="future_date",
            params={"today": message_date(portal_today())},
        )


class PublishedVersion(Protocol):
    version_rank: int
    published_on: datetime.date


def validate_agreed_on_or_after_publication(
    date_agreed: datetime.date, template: PublishedVersion
) -> None:
    """A record is true to its version: nobody accepted a version before it was published."""
    if isinstance(date_agreed, datetime.datetime):
        date_agreed = date_agreed.date()
    if date_agreed < template.published_on:
        raise ValidationError(
            _(
                "Version %(version)s of the Microsoft Customer Agreement was published on "
                "%(published)s, so it can't have been accepted on %(date)s."
            ),
            code="before_publication",
            params={
                "version": template.version_rank,
                "published": message_date(template.published_on),
                "date": message_date(date_agreed),
            },
        )
