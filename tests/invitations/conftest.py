"""Invitation fixtures: an invitation with its raw link in hand, as the email would carry it."""

from __future__ import annotations

import pytest

from invitations.models import InvitationKind
from invitations.services import create_invitation, token_from_link


def path_of(link: str) -> str:
    return link.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


@pytest.fixture
def invite(sam):
    """invite(customer, kind=...) -> (invitation, path of its link, token)."""

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
