"""New order on the Orders list: an order is placed for one customer, so the button leads to
choosing one (the customers list's search), then to that customer's order. Only those who may
order see it; everyone else is refused on the server."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

CHOOSE = reverse("orders:choose_customer")


def new_order_button(html: str) -> bool:
    return f'href="{CHOOSE}">New order</a>' in html


@pytest.mark.parametrize("agent", ["alice", "sam", "frank"])
def test_agents_who_may_order_see_new_order_and_reach_the_chooser(request, client, agent):
    client.force_login(request.getfixturevalue(agent))
    assert new_order_button(client.get(reverse("orders:list")).text)
    response = client.get(CHOOSE)
    assert response.status_code == 200
    assert "New order: choose a customer" in response.text


@pytest.mark.parametrize("agent", ["hana", "bill", "nora"])
def test_agents_who_may_not_order_get_no_button_and_403(request, client, agent):
    client.force_login(request.getfixturevalue(agent))
    assert not new_order_button(client.get(reverse("orders:list")).text)
    assert client.get(CHOOSE).status_code == 403


def test_a_resellers_agent_is_told_its_provider_orders(client, nora):
    client.force_login(nora)
    response = client.get(CHOOSE)
    assert response.status_code == 403
    assert "Orders are placed by your provider" in response.text


def test_the_chooser_lists_only_the_agents_customers_each_leading_to_its_order(
    client, sam, acme, globex
):
    client.force_login(sam)
    html = client.get(CHOOSE).text
    assert (
        f'href="{reverse("orders:new_chosen", args=[acme.tenant_id])}" data-order-for>Acme s.r.o.<'
        in html
    )
    assert "Globex" not in html
    assert client.get(reverse("orders:new_chosen", args=[acme.tenant_id])).status_code == 200


def test_a_provider_chooses_its_resellers_customers_too(client, frank, initech):
    client.force_login(frank)
    html = client.get(CHOOSE).text
    assert reverse("orders:new_chosen", args=[initech.tenant_id]) in html
    assert "Customer of your reseller Northwind" in html


def test_the_search_narrows_the_customers(client, sam, acme, contoso):
    other = f.CustomerFactory(company_name="Zelenina Svoboda", domain="zelenina.onmicrosoft.com")
    f.RelationshipFactory(partner=contoso, customer=other)
    client.force_login(sam)
    html = client.get(CHOOSE, {"q": "zelenina"}).text
    assert "Zelenina Svoboda" in html and "Acme s.r.o." not in html
    nothing = client.get(CHOOSE, {"q": "no such company"})
    assert nothing.status_code == 200
    assert "No customers match your search." in nothing.text


def test_a_search_too_long_is_refused_with_a_message(client, sam, acme):
    client.force_login(sam)
    response = client.get(CHOOSE, {"q": "x" * 201})
    assert response.status_code == 400
    assert "Ensure this value has at most 200 characters" in response.text


def test_the_chooser_only_answers_get(client, sam):
    client.force_login(sam)
    assert client.post(CHOOSE).status_code == 405


def test_the_chooser_costs_the_same_queries_for_one_customer_or_a_page(client, sam, contoso, acme):
    client.force_login(sam)
    with CaptureQueriesContext(connection) as one:
        client.get(CHOOSE)
    for number in range(30):
        customer = f.CustomerFactory(company_name=f"Customer {number:02}")
        f.RelationshipFactory(partner=contoso, customer=customer)
    with CaptureQueriesContext(connection) as many:
        html = client.get(CHOOSE).text
    assert html.count("data-order-for") == 25
    assert len(many) == len(one)


def test_in_czech_the_button_and_the_page_speak_czech(client, sam, acme):
    client.force_login(sam)
    client.cookies["django_language"] = "cs"
    listing = client.get(reverse("orders:list"), HTTP_ACCEPT_LANGUAGE="cs").text
    assert f'href="{CHOOSE}">Nová objednávka</a>' in listing
    page = client.get(CHOOSE, HTTP_ACCEPT_LANGUAGE="cs").text
    assert "Nová objednávka: vyberte zákazníka" in page
    assert 'aria-current="page">Objednávky</a>' in page
