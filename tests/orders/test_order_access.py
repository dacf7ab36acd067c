"""R2–R4 on the order pages: who may order, who may only look, and nobody else's customers."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from orders.models import Order
from tests import factories as f

pytestmark = pytest.mark.django_db


def _urls(customer):
    draft = uuid.uuid4()
    return [
        ("get", reverse("orders:new", args=[customer.tenant_id])),
        ("post", reverse("orders:new", args=[customer.tenant_id])),
        ("get", reverse("orders:review", args=[customer.tenant_id, draft])),
        ("post", reverse("orders:place", args=[customer.tenant_id, draft])),
    ]


@pytest.mark.parametrize("agent", ["hana", "bill", "nora"])
def test_agents_who_may_not_order_get_403_on_every_order_url(request, client, agent, acme, initech):
    user = request.getfixturevalue(agent)
    client.force_login(user)
    customer = initech if agent == "nora" else acme
    for method, url in _urls(customer):
        assert getattr(client, method)(url).status_code == 403, (agent, method, url)


def test_helpdesk_agent_cannot_place_even_a_prepared_draft(client, sam, hana, acme, licence):
    f.attest(acme, sam)
    client.force_login(sam)
    review = client.post(
        reverse("orders:new", args=[acme.tenant_id]), {f"quantity_{licence.pk}": 1}
    ).url
    client.force_login(hana)
    assert client.post(review + "place/").status_code == 403
    assert not Order.objects.exists()


@pytest.mark.parametrize("agent", ["alice", "sam"])
def test_another_partners_customer_is_not_found(request, client, agent, globex):
    client.force_login(request.getfixturevalue(agent))
    for method, url in _urls(globex):
        assert getattr(client, method)(url).status_code == 404, (method, url)
    assert client.get(reverse("orders:customer_orders", args=[globex.tenant_id])).status_code == 404


def test_another_partners_order_is_not_found(client, alice, globex, litware):
    order = f.OrderFactory(customer=globex, partner=litware)
    client.force_login(alice)
    assert client.get(reverse("orders:detail", args=[order.order_id])).status_code == 404


def test_resellers_orders_are_visible_to_its_provider_but_not_the_other_way(
    client, frank, nora, initech, northwind, fabrikam
):
    reseller_order = f.OrderFactory(customer=initech, partner=northwind)
    own_customer = f.CustomerFactory()
    f.RelationshipFactory(partner=fabrikam, customer=own_customer)
    provider_order = f.OrderFactory(customer=own_customer, partner=fabrikam)
    client.force_login(frank)
    assert client.get(reverse("orders:detail", args=[reseller_order.order_id])).status_code == 200
    client.force_login(nora)
    assert client.get(reverse("orders:detail", args=[reseller_order.order_id])).status_code == 200
    assert client.get(reverse("orders:detail", args=[provider_order.order_id])).status_code == 404


@pytest.mark.parametrize("agent", ["alice", "sam", "hana", "bill", "nora"])
def test_every_agent_may_read_orders_and_offers(request, client, agent):
    client.force_login(request.getfixturevalue(agent))
    assert client.get(reverse("orders:list")).status_code == 200
    assert client.get(reverse("orders:offers")).status_code == 200


def test_customer_admins_and_anonymous_visitors_cannot_see_orders(client, acme_admin, acme):
    assert client.get(reverse("orders:list")).status_code == 302
    assert client.get(reverse("orders:new", args=[acme.tenant_id])).status_code == 302
    client.force_login(acme_admin)
    assert client.get(reverse("orders:list")).status_code == 403
    assert client.get(reverse("orders:offers")).status_code == 403
    assert client.get(reverse("orders:new", args=[acme.tenant_id])).status_code == 403


def test_placing_needs_post(client, sam, acme):
    client.force_login(sam)
    url = reverse("orders:place", args=[acme.tenant_id, uuid.uuid4()])
    assert client.get(url).status_code == 405
