"""Issuing invitations: a secret token, shown once, stored only as a hash (R7, R8)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from agreements.services import refresh_agreement_status
from customers.models import Customer
from invitations.models import Invitation, hash_token, new_token
from portal.models import Partner, User


def invitation_link(token: str) -> str:
    """The acceptance link, built from PORTAL_BASE_URL and never from the request."""
    return settings.PORTAL_BASE_URL + reverse("admin_center:invitation", args=[token])


@transaction.atomic
def create_invitation(
    *, partner: Partner, customer: Customer, kind: str, created_by: User
) -> tuple[Invitation, str]:
    """Create an invitation and return it with its link; the token itself is never stored."""
    token = new_token()
    invitation = Invitation.objects.create(
        partner=partner,
        customer=customer,
        kind=kind,
        token_hash=hash_token(token),
        created_by=created_by,
        expires_at=timezone.now() + datetime.timedelta(days=settings.INVITATION_EXPIRY_DAYS),
    )
    refresh_agreement_status(customer)
    return invitation, invitation_link(token)
