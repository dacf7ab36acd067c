"""Signing links: a request with its raw token in hand, as the signatory's email carries it,
and the one-time code read back from the mail outbox."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from signing import services
from signing.email import signing_link
from signing.selectors import document_in_force

SIGNATORY = services.Signatory("Jana", "Nováková", "jana@acme.example", "", "CFO")


def path_of(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def start_signing(sam):
    """start_signing(customer, agent=sam, signatory=SIGNATORY, country="US", language="en-US", **kwargs)
    -> (request, path of its link)."""

    def make(customer, agent=None, signatory=SIGNATORY, country="US", language="en-US", **kwargs):
        agent = agent or sam
        request, token = services.start_signing(
            customer=customer,
            partner=agent.partner,
            started_by=agent,
            signatory=signatory,
            document=document_in_force(country, language),
            **kwargs,
        )
        return request, path_of(signing_link(token))

    return make


def last_code() -> str:
    """The code in the newest email."""
    message = mail.outbox[-1]
    return re.search(r"^(\d{6})$", message.body, re.MULTILINE).group(1)


@pytest.fixture
def verified(client):
    """verified(path) -> the proof from the signing page, after sending and checking a code."""

    def make(path):
        client.post(path + "code/")
        response = client.post(path + "verify/", {"code": last_code()})
        assert response.status_code == 200, response.content.decode()
        return re.search(r'name="proof" value="([^"]+)"', response.content.decode()).group(1)

    return make


def accept(client, path, proof, **overrides):
    data = {
        "proof": proof,
        "typed_signature": "Jana Nováková",
        "confirm": "on",
        "accept": "1",
        **overrides,
    }
    return client.post(path + "answer/", data)


from tests.api.conftest import anonymous_api, api_as, assert_error  # noqa: E402, F401
