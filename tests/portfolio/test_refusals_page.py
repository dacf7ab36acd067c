"""The list of orders the gate refused: the partner's own (a provider's resellers' too),
agents only, attest buttons for the roles that attest."""

import pytest
from django.urls import reverse

from orders.models import GateRefusal

pytestmark = pytest.mark.django_db


def test_an_agent_sees_its_partners_refusals_only(
    client, hana, sam, contoso, litware, lisa, make_customer
):
    GateRefusal.objects.create(
        partner=contoso, customer=make_customer(contoso, "Ours"), agent=sam, channel="web"
    )
    GateRefusal.objects.create(
        partner=litware, customer=make_customer(litware, "Theirs"), agent=lisa, channel="web"
    )
    client.force_login(hana)
    html = client.get(reverse("portfolio:refusals")).text
    assert "Ours" in html and "Theirs" not in html
    assert "Attest acceptance" not in html


def test_a_provider_sees_its_resellers_refusals(client, frank, northwind, nora, make_customer):
    GateRefusal.objects.create(
        partner=northwind, customer=make_customer(northwind, "Resold"), agent=nora, channel="api"
    )
    client.force_login(frank)
    html = client.get(reverse("portfolio:refusals")).text
    assert "Resold" in html and "Northwind Reseller" in html and "Attest acceptance" in html


def test_a_customer_admin_or_anonymous_visitor_is_turned_away(client, acme_admin):
    assert client.get(reverse("portfolio:refusals")).status_code == 302
    client.force_login(acme_admin)
    assert client.get(reverse("portfolio:refusals")).status_code in (302, 403, 404)
