"""Creating customers: one write spanning customer, relationship, admin user and evidence."""

from __future__ import annotations

import datetime
import secrets
import string
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agreements.models import Acceptance, AcceptanceMethod, AttestationRequest, Channel
from agreements.services import Contact, record_acceptance
from customers.models import Customer, Relationship, RelationshipOrigin, RelationshipStatus
from portal.models import Partner, User

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
    attestation: Contact | None = None,
    date_agreed: datetime.date | None = None,
    channel: str = Channel.WEB,
    ip_address: str | None = None,
    user_agent: str = "",
    relationship_status: str = RelationshipStatus.ACTIVE,
) -> tuple[Customer, User, str]:
    """Create the tenant, the relationship, its admin and (optionally) the attestation.

    All or nothing: a failure at any step leaves no row behind. Returns the
    customer, its admin user and the temporary password, which is never stored
    in clear and must be shown once.
    """
    customer.created_by = created_by
    customer.full_clean()
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
    if attestation is not None:
        record_acceptance(
            customer=customer,
            partner=partner,
            recorded_by=created_by,
            method=AcceptanceMethod.PARTNER_ATTESTATION,
            channel=channel,
            contact=attestation,
            date_agreed=date_agreed,
            ip_address=ip_address,
            user_agent=user_agent,
        )
    return customer, admin, password


@dataclass(frozen=True)
class NewCustomer:
    customer: Customer
    admin: User
    password: str
    invitation_link: str | None


@transaction.atomic
def onboard_customer(
    *,
    partner: Partner,
    created_by: User,
    customer: Customer,
    attestation: Contact | None,
    date_agreed: datetime.date | None,
    invite: bool,
    channel: str = Channel.WEB,
    ip_address: str | None = None,
    user_agent: str = "",
) -> NewCustomer:
    """A1 / B1: create the customer and either attest or invite, all or nothing."""
    from invitations.models import InvitationKind
    from invitations.services import create_invitation

    customer, admin, password = create_customer(
        partner=partner,
        created_by=created_by,
        customer=customer,
        attestation=attestation,
        date_agreed=date_agreed,
        channel=channel,
        ip_address=ip_address,
        user_agent=user_agent,
    )
    link = None
    if invite:
        _invitation, link = create_invitation(
            partner=partner,
            customer=customer,
            kind=InvitationKind.NEW_CUSTOMER,
            created_by=created_by,
        )
    return NewCustomer(customer, admin, password, link)


def request_attestation(
    *, customer: Customer, reseller: Partner, requested_by: User
) -> AttestationRequest:
    """R3: put one open request in the provider's queue; asking twice keeps the first.
    Once an acceptance counts for the reseller (its provider's or the customer's own),
    there is nothing left to ask."""
    if Acceptance.objects.filter(customer=customer).for_partner(reseller).exists():
        raise ValidationError(
            _(
                "Acceptance of the Microsoft Customer Agreement is already on record for this "
                "customer: there is nothing to ask your provider."
            ),
            code="already_on_record",
        )
    try:
        with transaction.atomic():
            request, _created = AttestationRequest.objects.get_or_create(
                customer=customer,
                reseller=reseller,
                resolved_at__isnull=True,
                defaults={"provider": reseller.provider, "requested_by": requested_by},
            )
    except IntegrityError:
        # Two agents asked at the same moment: the partial unique constraint kept one.
        request = AttestationRequest.objects.get(
            customer=customer, reseller=reseller, resolved_at__isnull=True
        )
    return request
