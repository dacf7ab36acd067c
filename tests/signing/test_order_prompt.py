"""The order gate's prompt offers a signing link beside attesting inline; once the signatory
accepts, the same order goes through."""

import pytest
from django.urls import reverse

from orders.models import Order
from tests import factories as f
from tests.signing.conftest import accept

pytestmark = pytest.mark.django_db


def review(client, customer):
    offer = f.OfferFactory(countries=["CZ"])
    response = client.post(
        reverse("orders:new", args=[customer.tenant_id]), {f"quantity_{offer.pk}": 2}
    )
    assert response.status_code == 302
    return response.url


def test_the_prompt_offers_a_signing_link(client, sam, acme):
    client.force_login(sam)
    page = client.get(review(client, acme)).content.decode()
    assert "Or ask the customer's signatory" in page
    assert reverse("signing:start", args=[acme.tenant_id]) in page


def test_after_the_signatory_accepts_the_order_is_placed(
    client, sam, acme, start_signing, verified
):
    _request, path = start_signing(acme)
    accept(client, path, verified(path))
    client.force_login(sam)
    url = review(client, acme)
    page = client.get(url).content.decode()
    assert "Or ask the customer" not in page
    response = client.post(url.rstrip("/") + "/place/")
    assert response.status_code == 302
    assert Order.objects.filter(customer=acme).exists()
