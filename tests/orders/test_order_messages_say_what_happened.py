"""What the order pages say when an order can't go on: a reseller is sent to its provider (by
name), a review link from another session says so (not "placed or expired"), and each line of
an order says how it renews (a perpetual licence never "renews on …")."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from orders.models import Order
from tests import factories as f

pytestmark = pytest.mark.django_db


def new_url(customer):
    return reverse("orders:new", args=[customer.tenant_id])


def choose(client, customer, *lines) -> str:
    data = {f"quantity_{offer.pk}": quantity for offer, quantity in lines}
    response = client.post(new_url(customer), data)
    assert response.status_code == 302
    return response.url


# --- a reseller's agent ----------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_resellers_agent_is_told_its_provider_orders(client, nora, initech, method):
    client.force_login(nora)
    response = getattr(client, method)(new_url(initech))
    assert response.status_code == 403
    text = response.text
    assert "Fabrikam Distribution" in text
    assert "Ask Fabrikam Distribution to place this order." in text
    assert "ask an admin agent of Northwind" not in text


def test_a_resellers_agent_reading_a_review_link_is_told_the_same(client, nora, initech):
    client.force_login(nora)
    response = client.get(reverse("orders:review", args=[initech.tenant_id, uuid.uuid4()]))
    assert response.status_code == 403
    assert "Fabrikam Distribution" in response.text


def test_a_resellers_agent_is_told_in_czech_too(client, nora, initech):
    client.force_login(nora)
    client.cookies["django_language"] = "cs"
    text = client.get(new_url(initech)).text
    assert "Objednávky zadává váš poskytovatel" in text
    assert "Požádejte Fabrikam Distribution o zadání této objednávky." in text


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_a_direct_partners_read_only_agent_still_gets_the_plain_403(request, client, acme, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(new_url(acme))
    assert response.status_code == 403
    assert "provider" not in response.text


# --- a review link in another session --------------------------------------------------------


def test_a_review_link_opened_in_another_session_says_it_belongs_to_another_session(
    client, sam, acme, licence
):
    f.attest(acme, sam)
    client.force_login(sam)
    review = choose(client, acme, (licence, 2))
    other = Client()
    other.force_login(sam)
    response = other.get(review, follow=True)
    assert response.redirect_chain[-1][0] == new_url(acme)
    assert "belongs to another session" in response.text
    assert "placed already or" not in response.text
    # Placing from the other session is refused the same way, and nothing is ordered.
    placed = other.post(review + "place/", follow=True)
    assert "belongs to another session" in placed.text
    assert not Order.objects.exists()


def test_a_placed_review_link_says_which_order_it_became(client, sam, acme, licence):
    f.attest(acme, sam)
    client.force_login(sam)
    review = choose(client, acme, (licence, 2))
    client.post(review + "place/")
    order = Order.objects.get()
    response = client.get(review, follow=True)
    assert f"That order was placed already: order {order.short_id}." in response.text
    assert "another session" not in response.text


def test_a_draft_set_aside_here_says_so(client, sam, acme, licence):
    from orders.views import DRAFTS

    f.attest(acme, sam)
    client.force_login(sam)
    first = choose(client, acme, (licence, 1))
    for quantity in range(DRAFTS.limit):
        choose(client, acme, (licence, quantity + 2))
    response = client.get(first, follow=True)
    assert "it was set aside for newer orders" in response.text


# --- renewal wording per line ----------------------------------------------------------------


def test_a_mixed_order_says_per_line_which_renews(client, sam, acme, licence, perpetual):
    f.attest(acme, sam)
    client.force_login(sam)
    review = choose(client, acme, (licence, 3), (perpetual, 1))
    client.post(review + "place/")
    order = Order.objects.get()
    response = client.get(reverse("orders:detail", args=[order.order_id]))
    text = response.text
    rows = {line.offer.name: line.renewal for line in response.context["lines"]}
    assert rows["Windows Server 2025 Standard"] == "One-time purchase; doesn't renew"
    assert rows["Microsoft 365 E3"].startswith("Renews automatically on ")
    assert "Its subscriptions renew automatically" not in text
    assert "Its subscription lines renew automatically on" in text
    assert "the other lines don't renew" in text


def test_an_order_of_subscriptions_only_keeps_its_summary(client, sam, acme, licence):
    f.attest(acme, sam)
    client.force_login(sam)
    client.post(choose(client, acme, (licence, 1)) + "place/")
    text = client.get(reverse("orders:detail", args=[Order.objects.get().order_id])).text
    assert "Its subscriptions renew automatically on" in text


def test_a_perpetual_only_order_never_says_it_renews(client, sam, acme, perpetual):
    f.attest(acme, sam)
    client.force_login(sam)
    client.post(choose(client, acme, (perpetual, 1)) + "place/")
    text = client.get(reverse("orders:detail", args=[Order.objects.get().order_id])).text
    assert "renew automatically" not in text and "Renews automatically" not in text
    assert "One-time purchase; doesn&#x27;t renew" in text


def test_the_per_line_renewal_reads_in_czech(client, sam, acme, licence, perpetual):
    f.attest(acme, sam)
    client.force_login(sam)
    client.post(choose(client, acme, (licence, 1), (perpetual, 1)) + "place/")
    client.cookies["django_language"] = "cs"
    text = client.get(reverse("orders:detail", args=[Order.objects.get().order_id])).text
    assert "Jednorázový nákup; neprodlužuje se" in text
    assert "Automaticky se prodlouží" in text
