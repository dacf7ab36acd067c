"""A customer's postal address written in its country's order, the one way every page writes it.

After the street, each country puts the city, state and postal code its own way (the orders of
the Universal Postal Union's address formats, as Google's libaddressinput keeps them): a US
address ends "Seattle, WA 98052"; a UK one has the post town and the postcode (in capitals) on
lines of their own; most of continental Europe writes "110 00 Praha". A country missing from
the table is written in that last, most common order.
"""

from __future__ import annotations

from typing import Protocol

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
