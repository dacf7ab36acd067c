"""The customers list filters on "not on record — invitation lapsed": invited customers
whose invitation has passed its expiry (still found among "not on record" too)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from customers.models import AgreementStatus
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_lapsed_filter_lists_only_lapsed_invitations(client, sam, contoso, template_cz):
    def customer(name, status, until):
        row = f.RelationshipFactory(
            partner=contoso,
            customer=f.CustomerFactory(company_name=name),
        )
        row.agreement_status, row.invited_until = status, until
        row.save()

    now = timezone.now()
    customer("Lapsed Ltd", AgreementStatus.INVITED, now - datetime.timedelta(days=1))
    customer("Open Ltd", AgreementStatus.INVITED, now + datetime.timedelta(days=1))
    customer("Never Ltd", AgreementStatus.NONE, None)
    client.force_login(sam)
    lapsed = client.get(reverse("customers:list"), {"status": "lapsed"}).text
    assert "Lapsed Ltd" in lapsed and "Open Ltd" not in lapsed and "Never Ltd" not in lapsed
    none = client.get(reverse("customers:list"), {"status": "none"}).text
    assert "Lapsed Ltd" in none and "Never Ltd" in none and "Open Ltd" not in none
