"""Invitation fixtures: an invitation with its raw link in hand, as the email would carry it."""

from __future__ import annotations

import pytest

from invitations.models import InvitationKind
from invitations.services import create_invitation, token_from_link
from orders.models import Order
from tests import factories as f


def path_of(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def invite(sam):
    """invite(customer, kind=..., agent=...) -> (invitation, path of its link, raw token)."""

    def make(customer, kind=InvitationKind.EXISTING_CUSTOMER, agent=None):
        agent = agent or sam
        invitation, link = create_invitation(
            partner=agent.partner, customer=customer, kind=kind, created_by=agent
        )
        return invitation, path_of(link), token_from_link(link)

    return make


@pytest.fixture
def acme_invitation(invite, acme):
    return invite(acme)


@pytest.fixture
def order_for():
    """order_for(customer, partner, auto_renewal=False): an earlier purchase."""

    def make(customer, partner, auto_renewal=False) -> Order:
        if not auto_renewal:
            order = f.OrderFactory(customer=customer, partner=partner)
            f.OrderLineFactory(order=order)
            return order
        # A renewal must name the order it renews; keeping that original on another tenant
        # leaves this customer with nothing but an auto-renewal.
        original = f.OrderFactory(customer=f.CustomerFactory(), partner=partner)
        renewal = f.OrderFactory(
            customer=customer, partner=partner, is_auto_renewal=True, renews=original
        )
        f.OrderLineFactory(order=renewal)
        return renewal

    return make
