"""Flow E on the web: new order → review → place, and the inline attestation prompt."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Acceptance, Channel
from customers.models import AgreementStatus
from orders.models import Order
from tests import factories as f

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def _new_url(customer):
    return reverse("orders:new", args=[customer.tenant_id])


def _choose(client, customer, *lines):
    """Post offers and quantities; return the review page's URL."""
    data = {f"quantity_{offer.pk}": quantity for offer, quantity in lines}
    response = client.post(_new_url(customer), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response.url


def _place_url(review_url):
    return review_url + "place/"


def _attestation(**overrides):
    data = {
        "attest": "1",
        "attestation-first_name": "Jana",
        "attestation-last_name": "Nováková",
        "attestation-email": "jana@acme.example",
        "attestation-phone": "",
        "attestation-date_agreed": YESTERDAY.isoformat(),
    }
    data.update(overrides)
    return data


def test_sales_agent_orders_for_an_attested_customer(client, sam, acme, licence, perpetual):
    f.attest(acme, sam)
    client.force_login(sam)
    review = _choose(client, acme, (licence, 3), (perpetual, 1))
    page = client.get(review)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Microsoft 365 E3" in html and "Windows Server 2025 Standard" in html
    assert "1,177.00 USD" in html  # 3 × 36.00 + 1069.00
    assert "Save and continue" not in html
    placed = client.post(_place_url(review))
    order = Order.objects.get()
    assert placed.status_code == 302
    assert placed.url == reverse("orders:detail", args=[order.order_id])
    assert order.placed_by == sam
    assert sorted((line.offer.name, line.quantity) for line in order.lines.all()) == [
        ("Microsoft 365 E3", 3),
        ("Windows Server 2025 Standard", 1),
    ]
    detail = client.get(placed.url)
    assert "is placed" in detail.content.decode()


def test_review_prompts_for_attestation_prefilled_from_the_primary_contact(
    client, alice, acme, licence
):
    client.force_login(alice)
    html = client.get(_choose(client, acme, (licence, 1))).content.decode()
    assert "Save and continue" in html
    assert 'value="Jana"' in html
    assert f'value="{acme.contact_email}"' in html
    assert "Place order" not in html


def test_save_and_continue_records_the_acceptance_and_places_the_same_order(
    client, alice, acme, licence
):
    client.force_login(alice)
    review = _choose(client, acme, (licence, 7))
    response = client.post(_place_url(review), _attestation())
    assert response.status_code == 302
    acceptance = Acceptance.objects.get(customer=acme)
    assert acceptance.channel == Channel.ORDER_PROMPT
    assert acceptance.recorded_by == alice
    assert Order.objects.get().lines.get().quantity == 7
    account_info = client.get(reverse("customers:detail", args=[acme.tenant_id])).content.decode()
    assert "Attested by partner" in account_info
    assert acme.relationships.get().agreement_status == AgreementStatus.ATTESTED


def test_future_date_is_refused_with_the_order_kept_in_the_form(client, sam, acme, licence):
    client.force_login(sam)
    review = _choose(client, acme, (licence, 4))
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        _place_url(review), _attestation(**{"attestation-date_agreed": tomorrow})
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "can&#x27;t be in the future" in html
    # The same summary above the fields as on the other forms.
    assert "Please correct the errors below." in html
    assert html.index("Please correct the errors below.") < html.index('name="attestation-first_name"')
    assert "Microsoft 365 E3" in html and re.search(r">\s*4\s*<", html)
    assert 'value="jana@acme.example"' in html
    assert not Acceptance.objects.exists() and not Order.objects.exists()
    # The same draft is still open: fixing the date places it.
    assert client.post(_place_url(review), _attestation()).status_code == 302
    assert Order.objects.get().lines.get().quantity == 4


def test_missing_contact_fields_are_refused(client, sam, acme, licence):
    client.force_login(sam)
    review = _choose(client, acme, (licence, 1))
    response = client.post(
        _place_url(review), _attestation(**{"attestation-first_name": "", "attestation-email": "x"})
    )
    assert response.status_code == 400
    assert not Acceptance.objects.exists() and not Order.objects.exists()


def test_placing_without_attesting_is_refused_while_the_gate_is_closed(client, sam, acme, licence):
    client.force_login(sam)
    review = _choose(client, acme, (licence, 1))
    response = client.post(_place_url(review))
    assert response.status_code == 403
    assert "Save and continue" in response.content.decode()
    assert not Order.objects.exists()


def test_a_failure_in_order_placement_leaves_neither_acceptance_nor_order(
    client, sam, acme, licence
):
    client.force_login(sam)
    review = _choose(client, acme, (licence, 1))
    licence.is_active = False
    licence.save()
    response = client.post(_place_url(review), _attestation())
    assert response.status_code == 400
    assert "not available" in response.content.decode()
    assert not Acceptance.objects.exists() and not Order.objects.exists()
    assert acme.relationships.get().agreement_status == AgreementStatus.NONE


def test_a_placed_draft_cannot_be_placed_twice(client, sam, acme, licence):
    f.attest(acme, sam)
    client.force_login(sam)
    review = _choose(client, acme, (licence, 1))
    client.post(_place_url(review))
    again = client.post(_place_url(review))
    assert again.status_code == 302 and again.url == _new_url(acme)
    assert Order.objects.count() == 1


def test_change_brings_the_quantities_back(client, sam, acme, licence):
    client.force_login(sam)
    review = _choose(client, acme, (licence, 5))
    draft = review.rstrip("/").rsplit("/", 1)[-1]
    html = client.get(_new_url(acme) + f"?draft={draft}").content.decode()
    assert 'value="5"' in html


def test_blocked_customer_is_resolved_by_the_prompt(client, alice, acme, contoso, licence):
    from customers.status import refresh_agreement_status

    f.InvitationFactory(partner=contoso, customer=acme, status="blocked")
    refresh_agreement_status(acme)
    client.force_login(alice)
    review = _choose(client, acme, (licence, 1))
    assert "can&#x27;t accept the Microsoft Customer Agreement directly" in (
        client.get(review).content.decode()
    )
    assert client.post(_place_url(review), _attestation()).status_code == 302
    assert acme.relationships.get().agreement_status == AgreementStatus.ATTESTED
    assert Order.objects.filter(customer=acme).exists()


def test_provider_orders_for_its_resellers_customer(client, frank, initech, northwind, licence):
    client.force_login(frank)
    review = _choose(client, initech, (licence, 2))
    assert client.post(_place_url(review), _attestation()).status_code == 302
    order = Order.objects.get()
    assert (order.partner, order.placed_by) == (northwind, frank)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose at least one offer"),
        ({"quantity_{licence}": "0"}, "Choose at least one offer"),
        ({"quantity_{licence}": "-1"}, "greater than or equal to 0"),
        ({"quantity_{licence}": "10001"}, "less than or equal to 10000"),
        ({"quantity_{licence}": "two"}, "Enter a whole number"),
        ({"quantity_{us_only}": "1"}, "Choose at least one offer"),
    ],
)
def test_bad_quantities_are_refused(client, sam, acme, licence, us_only, data, message):
    client.force_login(sam)
    names = {"licence": licence.pk, "us_only": us_only.pk}
    payload = {key.format(**names): value for key, value in data.items()}
    response = client.post(_new_url(acme), payload)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_only_offers_sold_in_the_customers_country_are_listed(client, sam, acme, licence, us_only):
    client.force_login(sam)
    html = client.get(_new_url(acme)).content.decode()
    assert "Microsoft 365 E3" in html
    assert "US-only offer" not in html


def test_another_customers_draft_is_not_found(client, sam, acme, contoso, licence):
    other = f.CustomerFactory()
    f.RelationshipFactory(partner=contoso, customer=other)
    client.force_login(sam)
    review = _choose(client, acme, (licence, 1))
    draft = review.rstrip("/").rsplit("/", 1)[-1]
    url = reverse("orders:review", args=[other.tenant_id, draft])
    assert client.get(url).status_code == 302
    assert client.post(url + "place/").status_code == 302
    assert not Order.objects.exists()


def test_pending_relationship_offers_nothing_to_choose_and_says_why(client, sam, acme, licence):
    acme.relationships.update(status="pending")
    client.force_login(sam)
    url = reverse("orders:new", args=[acme.tenant_id])
    page = client.get(url).content.decode()
    assert "still pending" in page
    assert "Next: Review" not in page and licence.name not in page
    response = client.post(url, {f"quantity_{licence.pk}": 1})
    assert response.status_code == 400
    assert "still pending" in response.content.decode()
    assert not Order.objects.exists()


def test_pending_relationship_shows_why_and_offers_no_prompt(client, sam, acme, licence):
    client.force_login(sam)
    review = _choose(client, acme, (licence, 1))
    acme.relationships.update(status="pending")  # after the offers were chosen
    html = client.get(review).content.decode()
    assert "This order can't be placed yet." in html
    assert "still pending" in html
    assert "Save and continue" not in html and "Place order" not in html
    assert client.post(_place_url(review)).status_code == 403
    assert not Order.objects.exists()
