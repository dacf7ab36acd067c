"""A customer's postal address written in its country's order, the one way every page writes it.

After the street, each country puts the city, state and postal code its own way (the orders of
the Universal Postal Union's address formats, as Google's libaddressinput keeps them): a US
address ends "Seattle, WA 98052"; a UK one has the post town and the postcode (in capitals) on
lines of their own; most of continental Europe writes "110 00 Praha". A country missing from
the table is written in that last, most common order.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

from django import forms
from django.utils.translation import gettext as _
from django_countries import countries
from localflavor.at.forms import ATZipCodeField
from localflavor.cz.forms import CZPostalCodeField
from localflavor.de.forms import DEZipCodeField
from localflavor.pl.forms import PLPostalCodeField
from localflavor.sk.forms import SKPostalCodeField

# The lines after the street, per country: {city}, {state}, {postal_code}.
CITY_STATE_ZIP = ("{city}, {state} {postal_code}",)
CITY_STATE_POSTCODE = ("{city} {state} {postal_code}",)
CITY_THEN_POSTCODE = ("{city}", "{postal_code}")
POSTCODE_CITY = ("{postal_code} {city}",)

PLACE_LINES: dict[str, tuple[str, ...]] = {
    "US": CITY_STATE_ZIP,
    "PR": CITY_STATE_ZIP,
    "CA": CITY_STATE_POSTCODE,
    "AU": CITY_STATE_POSTCODE,
    "GB": CITY_THEN_POSTCODE,
    "IE": CITY_THEN_POSTCODE,
    "IM": CITY_THEN_POSTCODE,
    "JE": CITY_THEN_POSTCODE,
    "GG": CITY_THEN_POSTCODE,
    **dict.fromkeys(
        (
            "CZ", "SK", "DE", "AT", "CH", "LI", "FR", "PL", "NL", "BE", "LU", "DK", "SE",
            "NO", "FI", "IS", "ES", "PT", "IT", "SI", "HR", "HU", "RO", "BG", "GR", "EE",
        ),
        POSTCODE_CITY,
    ),
}  # fmt: skip
DEFAULT_PLACE_LINES = POSTCODE_CITY
# Countries whose postal codes are written in capitals ("sw1a 1aa" is "SW1A 1AA").
UPPER_CASE_POSTCODES = {"GB", "IE", "IM", "JE", "GG", "CA", "NL"}


class Addressed(Protocol):
    country: object
    address_line1: str
    city: str
    postal_code: str
    state: str


def address_lines(customer: Addressed) -> list[str]:
    """The address's lines, street first, in the order of its country."""
    country = str(customer.country or "").upper()
    postal_code = customer.postal_code.strip()
    if country in UPPER_CASE_POSTCODES:
        postal_code = postal_code.upper()
    values = {
        "city": customer.city.strip(),
        "state": (customer.state or "").strip(),
        "postal_code": postal_code,
    }
    lines = [customer.address_line1.strip()]
    for line in PLACE_LINES.get(country, DEFAULT_PLACE_LINES):
        # A part left blank (a state where the country names none) leaves no stray comma.
        written = " ".join(line.format(**values).split()).strip(" ,").replace(" ,", ",")
        lines.append(written)
    return [line for line in lines if line]


def one_line(customer: Addressed) -> str:
    """The address on one line (a list, a notice): its lines joined by commas."""
    return ", ".join(address_lines(customer))


# Postal codes whose form is well known, checked on every way in (the web forms, the API, the
# operators' admin through the services): django-localflavor's field for the country takes or
# refuses a code; the pattern and the example are what the message shows. Other countries' codes
# are kept as typed.
POSTAL_CODE_FORMS: dict[str, tuple[Callable[[], forms.Field], str, str]] = {
    "CZ": (CZPostalCodeField, "123 45", "110 00"),
    "SK": (SKPostalCodeField, "123 45", "811 01"),
    "DE": (DEZipCodeField, "12345", "10115"),
    "AT": (ATZipCodeField, "1234", "1010"),
    "PL": (PLPostalCodeField, "12-345", "00-950"),
}
# Written with a space after the third digit ("110 00"), however it was typed.
SPACED_AFTER_THREE = {"CZ", "SK"}


def postal_code_problem(country: object, postal_code: str) -> str | None:
    """Why this postal code can't be one of this country's, or None (also for a country whose
    form isn't checked)."""
    country = str(country or "").upper()
    if country not in POSTAL_CODE_FORMS:
        return None
    field, pattern, example = POSTAL_CODE_FORMS[country]
    try:
        field().clean(postal_code.strip())
    except forms.ValidationError:
        return _(
            "Enter a postal code in the form %(pattern)s, as written in %(country)s, for example "
            "%(example)s."
        ) % {"country": countries.name(country), "pattern": pattern, "example": example}
    return None


def normal_postal_code(country: object, postal_code: str) -> str:
    """The postal code as the country writes it: "11000" and " 110 00 " are "110 00" in
    Czechia and Slovakia; any other is trimmed. Call it on a code postal_code_problem took."""
    postal_code = postal_code.strip()
    if str(country or "").upper() in SPACED_AFTER_THREE:
        digits = re.sub(r"\s", "", postal_code)
        if len(digits) == 5:
            return f"{digits[:3]} {digits[3:]}"
    return postal_code
