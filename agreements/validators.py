import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def portal_today() -> datetime.date:
    """Today in the portal's time zone (settings.TIME_ZONE), the reference for R1."""
    return timezone.localdate()


def validate_not_in_future(value: datetime.date) -> None:
    """R1: the date an agreement was accepted can never be after today."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if value > portal_today():
        raise ValidationError(
            _("The date the agreement was accepted can't be in the future (today is %(today)s)."),
            code="future_date",
            params={"today": portal_today().isoformat()},
        )
