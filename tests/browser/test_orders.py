"""Flow E in real Chromium: an order for an unattested demo customer prompts, attests, places."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Acceptance, Channel
from customers.models import AgreementStatus, Customer
from demo.management.commands.demo import DEMO_PASSWORD
from orders.models import Order
from tests.browser.support import assert_accessible, sign_in, switch_language

pytestmark = pytest.mark.django_db(transaction=True)


def test_order_for_an_unattested_customer_prompts_then_places(live_server, page, demo_world):
    customer = Customer.objects.get(domain="lucernepublishing.onmicrosoft.com")
    assert not Acceptance.objects.filter(customer=customer).exists()
    sign_in(page, live_server.url, "sales@contoso.example", DEMO_PASSWORD)

    page.goto(live_server.url + reverse("customers:detail", args=[customer.tenant_id]))
    assert "asked to attest" in page.locator("#orders").inner_text()
    page.locator("#orders").get_by_role("link", name="New order").click()
    page.wait_for_url("**/orders/new/")
    page.get_by_label("Quantity of Microsoft 365 E3").fill("12")
    page.get_by_label("Quantity of Azure plan").fill("1")
    assert_accessible(page)
    page.get_by_role("button", name="Next: Review").click()
    page.wait_for_url("**/orders/review/**")

    assert page.get_by_role("heading", name="Microsoft Customer Agreement").is_visible()
    assert page.locator("#id_attestation-first_name").input_value() == "Ben"
    assert page.locator("#id_attestation-email").input_value() == customer.contact_email
    assert "432.00 USD" in page.content()
    assert_accessible(page)

    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    page.locator("#id_attestation-date_agreed").fill(tomorrow)
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_text("can't be in the future").first.wait_for()
    assert page.get_by_role("cell", name="12", exact=True).is_visible()
    assert_accessible(page)
    assert not Order.objects.filter(customer=customer).exists()

    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    page.locator("#id_attestation-date_agreed").fill(yesterday)
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/orders/*-*/")
    assert "is placed" in page.content()
    assert_accessible(page)

    order = Order.objects.get(customer=customer)
    assert [(line.offer.name, line.quantity) for line in order.lines.order_by("offer__name")] == [
        ("Azure plan", 1),
        ("Microsoft 365 E3", 12),
    ]
    assert Acceptance.objects.get(customer=customer).channel == Channel.ORDER_PROMPT

    page.get_by_role("link", name="Lucerne Publishing").click()
    page.wait_for_url(f"**/customers/{customer.tenant_id}/")
    assert "Attested by partner" in page.content()
    assert order.short_id in page.locator("#orders").inner_text()
    assert customer.relationships.get().agreement_status == AgreementStatus.ATTESTED


def test_order_pages_are_accessible_in_english_and_czech(live_server, page, demo_world):
    customer = Customer.objects.get(domain="tiskarnacerny.onmicrosoft.com")
    order = Order.objects.filter(partner__name__startswith="Contoso").first()
    sign_in(page, live_server.url, "admin@contoso.example", DEMO_PASSWORD)
    for language in ("en", "cs"):
        if language == "cs":
            switch_language(page, "cs")
        for url in (
            reverse("orders:list"),
            reverse("orders:offers"),
            reverse("orders:customer_orders", args=[customer.tenant_id]),
            reverse("orders:detail", args=[order.order_id]),
            reverse("customers:detail", args=[customer.tenant_id]),
            reverse("orders:new", args=[customer.tenant_id]),
        ):
            page.goto(live_server.url + url)
            assert page.locator("html").get_attribute("lang") == language
            assert_accessible(page)
        page.locator("input[type=number]").first.fill("1")
        page.locator("form[action$='/orders/new/'] button[type=submit]").click()
        page.wait_for_url("**/orders/review/**")
        assert page.locator("#id_attestation-first_name").input_value() == "Tomáš"
        assert_accessible(page)


def test_helpdesk_agent_sees_why_it_cannot_order(live_server, page, demo_world):
    customer = Customer.objects.get(domain="tiskarnacerny.onmicrosoft.com")
    sign_in(page, live_server.url, "helpdesk@contoso.example", DEMO_PASSWORD)
    page.goto(live_server.url + reverse("customers:detail", args=[customer.tenant_id]))
    panel = page.locator("#orders")
    assert panel.get_by_role("link", name="New order").count() == 0
    assert "Your role can view orders but not place them" in panel.inner_text()
    assert_accessible(page)
    response = page.goto(live_server.url + reverse("orders:new", args=[customer.tenant_id]))
    assert response.status == 403


def test_new_order_from_the_orders_list_leads_through_choosing_a_customer(
    live_server, page, demo_world
):
    """Orders → New order → search → the customer → its order page; axe-clean at 1280 and
    390 px, in English and Czech."""
    customer = Customer.objects.get(domain="lucernepublishing.onmicrosoft.com")
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server.url, "sales@contoso.example", DEMO_PASSWORD)
    page.goto(live_server.url + reverse("orders:list"))
    with page.expect_navigation():
        page.get_by_role("link", name="New order").click()
    assert page.get_by_role("heading", name="New order: choose a customer").is_visible()
    assert page.locator("#side-nav [aria-current=page]").inner_text() == "Orders"
    assert_accessible(page)
    page.get_by_role("textbox", name="Search").fill("lucerne")
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    assert page.locator("[data-order-for]").count() == 1
    switch_language(page, "cs")
    assert page.get_by_role("heading", name="Nová objednávka: vyberte zákazníka").is_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    switch_language(page, "en")
    with page.expect_navigation():
        page.get_by_role("link", name=customer.company_name).click()
    # The chosen customer's order stays under Orders, and leads back to the search.
    page.wait_for_url(f"**/orders/new/{customer.tenant_id}/?q=lucerne")
    assert page.get_by_label("Quantity of Microsoft 365 E3").is_visible()
    # (The navigation is folded away at 390 px: its text, not what shows.)
    assert page.locator("#side-nav [aria-current=page]").text_content().strip() == "Orders"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Back to the customer choice").click()
    assert page.get_by_role("textbox", name="Search").input_value() == "lucerne"
    assert page.locator("[data-order-for]").count() == 1
