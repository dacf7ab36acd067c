"""Customers in each state a bulk invitation meets, for the bulk tests."""

from __future__ import annotations

import datetime

from django.utils import timezone

from customers.models import AgreementStatus, Relationship
from invitations.services import issue_invitation
from tests import factories as f


def customer_of(partner, name: str, status: str | None = None, **fields):
    customer = f.CustomerFactory(company_name=name, **fields)
    f.RelationshipFactory(partner=partner, customer=customer)
    if status is not None:
        Relationship.objects.filter(partner=partner, customer=customer).update(
            agreement_status=status
        )
    return customer


def invited(partner, agent, name: str, *, lapsed: bool = False):
    customer = customer_of(partner, name)
    invitation, _link = issue_invitation(
        partner=partner, customer=customer, kind="existing_customer", created_by=agent
    )
    if lapsed:
        past = timezone.now() - datetime.timedelta(days=3)
        type(invitation).objects.filter(pk=invitation.pk).update(expires_at=past)
        Relationship.objects.filter(partner=partner, customer=customer).update(
            agreement_status=AgreementStatus.INVITED, invited_until=past
        )
    return customer


def row_of(customer) -> int:
    """The customers list's row (a relationship) for this customer."""
    return Relationship.objects.filter(customer=customer).values_list("pk", flat=True).get()


def preview_url(action: str, *customers) -> str:
    ids = "&".join(f"customer={row_of(c)}" for c in customers)
    return f"/invitations/bulk/preview/?action={action}&{ids}"


def start(client, action: str, *customers, **extra):
    data = {"action": action, "customer": [str(row_of(c)) for c in customers], **extra}
    return client.post("/invitations/bulk/start/", data)
