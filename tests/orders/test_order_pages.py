"""What the order pages show: the catalog, the orders lists, an order, and the Account info panel."""

from __future__ import annotations

import pytest
from django.urls import reverse

from customers.status import refresh_agreement_status
from orders.models import ProductType
from tests import factories as f

pytestmark = pytest.mark.django_db


def _order(customer, partner, agent, offer, quantity=2, **kwargs):
    order = f.OrderFactory(customer=customer, partner=partner, placed_by=agent, **kwargs)
    f.OrderLineFactory(order=order, offer=offer, quantity=quantity, unit_price=offer.unit_price)
    return order


def test_offers_page_lists_the_five_product_types_with_prices_and_countries(client, hana):
    for product_type in ProductType.values:
        f.OfferFactory(name=f"Offer of {product_type}", product_type=product_type, countries=["CZ"])
    f.OfferFactory(name="Retired offer", is_active=False)
    client.force_login(hana)
    html = client.get(reverse("orders:offers")).content.decode()
    for label in ProductType.labels:
        assert str(label) in html
    assert "10.00 USD" in html
    assert 'title="Czechia">CZ</abbr>' in html
    assert "Retired offer" not in html


def test_offers_can_be_filtered_by_country_and_type(
    client, sam, licence, us_only, reserved_instance
):
    client.force_login(sam)
    html = client.get(reverse("orders:offers"), {"country": "US"}).content.decode()
    assert "US-only offer" in html and "Microsoft 365 E3" in html
    assert "Azure Reserved VM Instance" not in html
    html = client.get(
        reverse("orders:offers"), {"product_type": ProductType.RESERVED_INSTANCE}
    ).content.decode()
    assert "Azure Reserved VM Instance" in html and "US-only offer" not in html


def test_offers_filter_refuses_unknown_values(client, sam):
    client.force_login(sam)
    response = client.get(reverse("orders:offers"), {"country": "XX"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_orders_page_lists_the_partners_orders_with_totals(
    client, bill, sam, acme, globex, litware, licence
):
    _order(acme, sam.partner, sam, licence, quantity=3)
    f.OrderFactory(customer=globex, partner=litware)
    client.force_login(bill)
    html = client.get(reverse("orders:list")).content.decode()
    assert "Acme s.r.o." in html
    assert "108.00 USD" in html
    assert "Globex" not in html


def test_orders_page_filters_by_customer_and_kind(client, sam, acme, contoso, licence):
    original = _order(acme, contoso, sam, licence)
    _order(acme, contoso, None, licence, is_auto_renewal=True, renews=original)
    client.force_login(sam)
    renewals = client.get(reverse("orders:list"), {"kind": "renewal"}).content.decode()
    assert renewals.count("Auto-renewal</span>") == 1
    assert "Automatic" in renewals
    assert "No orders match" in client.get(reverse("orders:list"), {"q": "zzz"}).content.decode()
    assert client.get(reverse("orders:list"), {"kind": "bogus"}).status_code == 400


def test_order_detail_shows_lines_totals_and_renewal(client, sam, acme, contoso, licence):
    order = _order(acme, contoso, sam, licence, quantity=4)
    client.force_login(sam)
    html = client.get(reverse("orders:detail", args=[order.order_id])).content.decode()
    assert order.short_id in html
    assert "Microsoft 365 E3" in html and "144.00 USD" in html
    assert "sam@contoso.example" in html
    if order.auto_renew and order.renewal_due:
        assert "Its subscriptions renew automatically on" in html
    else:
        assert "Doesn" in html


def test_account_info_offers_a_new_order_and_lists_recent_orders(
    client, sam, acme, contoso, licence
):
    f.attest(acme, sam)
    order = _order(acme, contoso, sam, licence)
    client.force_login(sam)
    html = client.get(reverse("customers:detail", args=[acme.tenant_id])).content.decode()
    assert reverse("orders:new", args=[acme.tenant_id]) in html
    assert order.short_id in html
    assert "New orders can be placed" in html


def test_account_info_tells_a_sales_agent_the_order_will_prompt(client, sam, acme):
    client.force_login(sam)
    html = client.get(reverse("customers:detail", args=[acme.tenant_id])).content.decode()
    assert "asked to attest the customer" in html


@pytest.mark.parametrize("agent", ["hana", "bill"])
def test_helpdesk_and_billing_see_why_they_cannot_order_and_who_can(request, client, agent, acme):
    client.force_login(request.getfixturevalue(agent))
    html = client.get(reverse("customers:detail", args=[acme.tenant_id])).content.decode()
    assert reverse("orders:new", args=[acme.tenant_id]) not in html
    assert "Your role can view orders but not place them" in html
    assert "An admin or sales agent of Contoso Partner can attest" in html


def test_reseller_agent_sees_that_its_provider_orders_and_attests(client, nora, initech):
    client.force_login(nora)
    html = client.get(reverse("customers:detail", args=[initech.tenant_id])).content.decode()
    assert reverse("orders:new", args=[initech.tenant_id]) not in html
    assert "placed by your indirect provider, Fabrikam Distribution" in html
    assert "Only the indirect provider, Fabrikam Distribution, can attest" in html


def test_blocked_customer_panel_says_the_partner_must_attest(client, sam, acme, contoso):
    f.InvitationFactory(partner=contoso, customer=acme, status="blocked")
    refresh_agreement_status(acme)
    client.force_login(sam)
    html = client.get(reverse("customers:detail", args=[acme.tenant_id])).content.decode()
    assert "New orders wait until the partner attests" in html


def test_customer_orders_page_lists_only_that_customers_orders(client, sam, acme, contoso, licence):
    other = f.CustomerFactory(company_name="Other customer")
    f.RelationshipFactory(partner=contoso, customer=other)
    mine = _order(acme, contoso, sam, licence)
    theirs = _order(other, contoso, sam, licence)
    client.force_login(sam)
    html = client.get(reverse("orders:customer_orders", args=[acme.tenant_id])).content.decode()
    assert mine.short_id in html and theirs.short_id not in html
