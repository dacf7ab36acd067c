"""States and regions a customer's address needs: a US address names its state (USPS code).

The list is django-localflavor's: the states, the District of Columbia and the inhabited
territories (not the armed forces' codes, which no tenant's billing address uses)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from localflavor.us.us_states import CONTIGUOUS_STATES, NON_CONTIGUOUS_STATES, US_TERRITORIES

# Countries whose addresses need a state, and the states each may name.
STATES: dict[str, tuple[tuple[str, str], ...]] = {
    "US": tuple(
        sorted(
            (*CONTIGUOUS_STATES, *NON_CONTIGUOUS_STATES, *US_TERRITORIES),
            key=lambda choice: str(choice[1]),
        )
    ),
}


def needs_state(country: object) -> bool:
    return str(country or "").upper() in STATES


def state_choices(country: str = "US") -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in STATES[country]]


def state_problem(country: object, state: str) -> str | None:
    """Why this state can't go with this country's address, or None."""
    country = str(country or "").upper()
    if country not in STATES:
        return None
    if not state:
        return _("Choose the state of a US address.")
    if state not in dict(STATES[country]):
        return _("Choose a US state from the list.")
    return None
