import datetime

import pytest
from django.utils import timezone

from agreements.models import Acceptance
from customers.models import Customer, Relationship
from invitations.models import Invitation
from portal.models import User
from tests import factories as f


def new_customer_data(**overrides) -> dict:
    """A complete, valid New customer form: attested by the primary contact yesterday."""
    data = {
        "company_name": "Wingtip Toys s.r.o.",
        "domain": "wingtip",
        "country": "CZ",
        "address_line1": "Na Příkopě 10",
        "city": "Praha",
        "postal_code": "110 00",
        "language": "cs",
        "contact_first_name": "Petr",
        "contact_last_name": "Svoboda",
        "contact_email": "petr@wingtip.example",
        "contact_phone": "+420602111222",
        "agreement": "attested",
        "date_agreed": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def attestation_data(**overrides) -> dict:
    data = {
        "first_name": "Eva",
        "last_name": "Dvořáková",
        "email": "eva@acme.example",
        "phone": "",
        "date_agreed": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
    }
    data.update(overrides)
    return data


def row_counts() -> dict:
    return {
        "customers": Customer.objects.count(),
        "relationships": Relationship.objects.count(),
        "users": User.objects.count(),
        "acceptances": Acceptance.objects.count(),
        "invitations": Invitation.objects.count(),
    }


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def many_customers():
    def make(partner, count):
        for _ in range(count):
            f.RelationshipFactory(partner=partner, customer=f.CustomerFactory())

    return make
