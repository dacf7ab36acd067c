"""Customer rules: domains, the language that follows the country, and creating a tenant
(customer, relationship and admin user in one write)."""

from __future__ import annotations

import hashlib
import json
import secrets
import string
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.addresses import normal_postal_code, postal_code_problem
from customers.locks import lock_customer
from customers.models import (
    Customer,
    CustomerChange,
    CustomerLanguage,
    Relationship,
    RelationshipOrigin,
    RelationshipStatus,
    domain_validator,
)
from customers.regions import state_problem
from portal.models import Partner, User

DOMAIN_SUFFIX = ".onmicrosoft.com"

# The customer's language when the agent doesn't choose one: the country's, where we have it.
COUNTRY_LANGUAGES = {
    "CZ": CustomerLanguage.CZECH,
    "DE": CustomerLanguage.GERMAN,
    "AT": CustomerLanguage.GERMAN,
    "LI": CustomerLanguage.GERMAN,
}


def language_for_country(country: str | None) -> str:
    return str(COUNTRY_LANGUAGES.get(str(country or "").upper(), CustomerLanguage.ENGLISH))


def normalise_domain(value: str) -> str:
    """Accept either the name alone or the full name.onmicrosoft.com domain."""
    value = value.strip().lower()
    if value.endswith(DOMAIN_SUFFIX):
        value = value[: -len(DOMAIN_SUFFIX)]
    return value + DOMAIN_SUFFIX


def domain_problem(domain: str, *, name_only: bool = False) -> str | None:
    """Why a full domain can't be used, or None when it is free and well formed.

    ``name_only``: the asker typed only the name (New customer shows ".onmicrosoft.com" after
    its input), so a malformed one is told in the words of that field's help, not asked for
    the full domain the API takes."""
    try:
        domain_validator(domain)
    except ValidationError as error:
        if name_only:
            return str(
                _("Enter the name before .onmicrosoft.com: lower-case letters, digits and hyphens.")
            )
        return str(error.messages[0])
    if Customer.objects.filter(domain=domain).exists():
        return str(_("The domain %(domain)s is already taken. Choose another name.")) % {
            "domain": domain
        }
    return None


# What a new customer's country must meet, from the apps above customers (agreements: an
# agreement is published there). A registry they fill in ready(): customers can't import them.
CountryRule = Callable[[str], "str | None"]
_country_rules: list[CountryRule] = []


def register_country_rule(rule: CountryRule) -> CountryRule:
    if rule not in _country_rules:
        _country_rules.append(rule)
    return rule


def country_problem(country: object) -> str | None:
    """Why a new customer can't be in this country, or None. Forms, the API and
    create_customer all ask here."""
    for rule in _country_rules:
        if problem := rule(str(country)):
            return problem
    return None


PASSWORD_ALPHABET = string.ascii_letters + string.digits + "!#$%&*+-=?@^_"


def generate_password(length: int = 16) -> str:
    """A strong temporary password with every character class, from the OS's CSPRNG."""
    while True:
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))
        if (
            any(c.islower() for c in password)
            and any(c.isupper() for c in password)
            and any(c.isdigit() for c in password)
            and any(not c.isalnum() for c in password)
        ):
            return password


def admin_sign_in_name(domain: str) -> str:
    return f"admin@{domain}"


@transaction.atomic
def create_customer(
    *,
    partner: Partner,
    created_by: User,
    customer: Customer,
    relationship_status: str = RelationshipStatus.ACTIVE,
) -> tuple[Customer, User, str]:
    """Create the tenant, the relationship and its admin, all or nothing.

    Returns the customer, its admin user and the temporary password, which is never
    stored in clear and must be shown once. Evidence and invitations are the onboarding
    orchestrator's (invitations.services.onboard_customer), in the same transaction.
    """
    customer.created_by = created_by
    customer.full_clean()
    if problem := country_problem(customer.country):
        raise ValidationError({"country": problem}, code="no_agreement")
    if problem := state_problem(customer.country, customer.state):
        raise ValidationError({"state": problem}, code="state")
    if problem := postal_code_problem(customer.country, customer.postal_code):
        raise ValidationError({"postal_code": problem}, code="postal_code")
    customer.postal_code = normal_postal_code(customer.country, customer.postal_code)
    customer.save()
    Relationship.objects.create(
        partner=partner,
        customer=customer,
        status=relationship_status,
        origin=RelationshipOrigin.CREATED_BY_PARTNER,
        # A pending relationship (B2) becomes active when the customer accepts it.
        activated_at=(
            customer.created_at if relationship_status == RelationshipStatus.ACTIVE else None
        ),
    )
    password = generate_password()
    admin = User.objects.create(
        email=admin_sign_in_name(customer.domain),
        first_name=customer.contact_first_name,
        last_name=customer.contact_last_name,
        customer=customer,
        password=make_password(password),
        must_change_password=True,
    )
    return customer, admin, password


# What an agent may correct after creation (Account info → Edit details). The tenant ID,
# domain and country never change: the tenant is known by them and its agreements follow
# the country.
EDITABLE_FIELDS = (
    "company_name",
    "address_line1",
    "city",
    "postal_code",
    "state",
    "language",
    "contact_first_name",
    "contact_last_name",
    "contact_email",
    "contact_phone",
)


def _as_text(value: object) -> str:
    return "" if value is None else str(value)


class DetailsChanged(ValidationError):
    """The customer's details are no longer the version the caller read (a stale etag)."""


def details_version(customer: Customer) -> str:
    """The version of a customer's details, as one short text (the API's etag).

    Taken from the values themselves, not a counter: every writer (Edit details, the API,
    the operators' admin) changes it without a column of its own, and it is the same
    however the row was read.
    """
    values = [str(customer.tenant_id), customer.domain, _as_text(customer.country)]
    values += [_as_text(getattr(customer, name)) for name in EDITABLE_FIELDS]
    return hashlib.sha256(json.dumps(values).encode()).hexdigest()[:32]


@transaction.atomic
def update_customer(
    *,
    customer: Customer,
    changed_by: User,
    values: dict[str, object],
    expected_version: str | None = None,
) -> list[CustomerChange]:
    """Change a customer's details and record each changed field (who, when, old → new).

    Only EDITABLE_FIELDS are taken from ``values``; anything else is ignored. The row is
    locked and read afresh, so the old values recorded are the ones replaced even when two
    agents save at once. Saving refreshes the copies the customers list searches and sorts
    on (Customer.save). Returns the changes, none when nothing differs.

    With ``expected_version`` (details_version of what the caller read: the API's etag),
    DetailsChanged is raised and nothing saved when the locked row is another version, so
    a caller that replaces the whole profile never overwrites a colleague's change unseen.
    """
    lock_customer(customer)
    current = Customer.objects.get(pk=customer.pk)
    if expected_version is not None and details_version(current) != expected_version:
        raise DetailsChanged(
            "The customer's details were changed since this version was read.",
            code="stale_version",
        )
    changes: list[CustomerChange] = []
    now = timezone.now()
    if isinstance(postal_code := values.get("postal_code"), str):
        # As the country writes it, so "11000" for "110 00" is no change.
        values = {**values, "postal_code": normal_postal_code(current.country, postal_code)}
    for name in EDITABLE_FIELDS:
        if name not in values:
            continue
        old, new = _as_text(getattr(current, name)), _as_text(values[name])
        if old == new:
            continue
        setattr(current, name, values[name])
        changes.append(
            CustomerChange(
                customer=current,
                field=name,
                old_value=old,
                new_value=new,
                changed_by=changed_by,
                partner_id=changed_by.partner_id,
                changed_at=now,
            )
        )
    if not changes:
        return []
    changed = {change.field for change in changes}
    current.full_clean(
        exclude=[f.name for f in Customer._meta.fields if f.name not in changed],
        validate_unique=False,
        validate_constraints=False,
    )
    if problem := state_problem(current.country, current.state):
        raise ValidationError({"state": problem}, code="state")
    if "postal_code" in changed and (
        problem := postal_code_problem(current.country, current.postal_code)
    ):
        raise ValidationError({"postal_code": problem}, code="postal_code")
    current.save(update_fields=[change.field for change in changes])
    CustomerChange.objects.bulk_create(changes)
    for change in changes:
        setattr(customer, change.field, getattr(current, change.field))
    return changes
