"""Helpers that put a partner's customers in each agreement state through the real services
(and the factories), and a live count to compare the counters with."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Count
from django.utils import timezone

from customers.models import AgreementStatus, Relationship
from customers.status import refresh_agreement_status
from invitations.models import InvitationStatus
from invitations.services import create_invitation
from portfolio import selectors
from tests import factories as f


@pytest.fixture
def make_customer(template_cz):
    """make_customer(partner, name=None) -> a customer of the partner, nothing on record."""

    def make(partner, name=None):
        customer = f.CustomerFactory(**({"company_name": name} if name else {}))
        f.RelationshipFactory(partner=partner, customer=customer)
        return customer

    return make


def invite_customer(customer, agent):
    invitation, _link = create_invitation(
        partner=agent.partner, customer=customer, kind="existing_customer", created_by=agent
    )
    return invitation


def block(customer, agent):
    """The customer opened the invitation and was found unable to accept it (R6)."""
    invitation = invite_customer(customer, agent)
    invitation.status = InvitationStatus.BLOCKED
    invitation.blocked_at = timezone.now()
    invitation.save(update_fields=["status", "blocked_at"])
    refresh_agreement_status(customer)
    return invitation


def lapse(customer, partner, *, ago=datetime.timedelta(days=1)):
    """The customer's open invitation from the partner expired ``ago``."""
    until = timezone.now() - ago
    # Time passing writes nothing: the stored status stays "invited" and readers compare
    # invited_until with the clock.
    customer.invitations.filter(partner=partner).update(expires_at=until)
    Relationship.objects.filter(partner=partner, customer=customer).update(invited_until=until)


def live_counts(partners, now=None) -> dict[str, int]:
    """What the counters must say: relationships by status as it stands now, counted live."""
    rows = Relationship.objects.filter(partner__in=partners)
    counts = {
        status: rows.with_agreement_status(status, now=now).count() for status in selectors.STATUSES
    }
    counts[selectors.LAPSED] = rows.with_agreement_status("lapsed", now=now).count()
    return counts


def stored_counts(partner) -> dict[str, int]:
    return dict(
        Relationship.objects.filter(partner=partner)
        .values_list("agreement_status")
        .annotate(number=Count("id"))
        .order_by()
    )


def counted(group_counts) -> dict[str, int]:
    return {**group_counts.by_status, selectors.LAPSED: group_counts.lapsed}


ALL_STATUSES = [status for status, _label in AgreementStatus.choices]
