"""New order on the Orders list → a customer → its order: the order's pages keep Orders marked
in the navigation (not Customers, as a tester found) and lead back to the customer choice with
the search the agent typed. The role checks are the order pages' own, whichever way in."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from orders.models import Order
from tests import factories as f
from tests.portal.test_every_page_marks_its_navigation_entry import current

pytestmark = pytest.mark.django_db

CHOOSE = reverse("orders:choose_customer")


def chosen_url(customer, **params):
    url = reverse("orders:new_chosen", args=[customer.tenant_id])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_the_choice_leads_to_the_order_keeping_the_search(client, sam, acme):
    client.force_login(sam)
    html = client.get(CHOOSE, {"q": "acme s.r.o"}).text
    assert f'href="{chosen_url(acme, q="acme+s.r.o")}" data-order-for>' in html


def test_the_order_page_reached_from_new_order_marks_orders(client, sam, acme, licence):
    client.force_login(sam)
    response = client.get(chosen_url(acme, q="acme"))
    assert response.status_code == 200
    assert current(response.text) == ["Orders"]
    # Back to the choice, with the search: in the breadcrumb and beside the form's button.
    back = f'href="{CHOOSE}?q=acme"'
    assert response.text.count(back) == 2
    assert "Back to the customer choice" in response.text
    # The same page from the customer's Account info stays a Customers page.
    from_customer = client.get(reverse("orders:new", args=[acme.tenant_id])).text
    assert current(from_customer) == ["Customers"]
    assert "Back to the customer choice" not in from_customer


def test_the_whole_order_stays_under_orders_with_the_search(client, sam, acme, licence):
    f.attest(acme, sam)
    client.force_login(sam)
    chosen = chosen_url(acme, q="acme")
    response = client.post(chosen, {f"quantity_{licence.pk}": 2})
    assert response.status_code == 302
    review = response.url
    assert review.startswith(f"/orders/new/{acme.tenant_id}/review/") and review.endswith("?q=acme")
    page = client.get(review)
    assert current(page.text) == ["Orders"]
    assert f'href="{CHOOSE}?q=acme"' in page.text
    draft = review.split("/review/")[1].split("/")[0]
    assert f'action="/orders/new/{acme.tenant_id}/review/{draft}/place/?q=acme"' in page.text
    # "Change" comes back to the order under Orders, with its draft and the search.
    assert f'href="/orders/new/{acme.tenant_id}/?draft={draft}&amp;q=acme"' in page.text
    placed = client.post(f"/orders/new/{acme.tenant_id}/review/{draft}/place/?q=acme")
    assert placed.status_code == 302
    assert Order.objects.get().customer == acme


def test_a_refused_order_page_keeps_its_way_back(client, sam, acme, licence):
    client.force_login(sam)
    response = client.post(chosen_url(acme, q="acme"), {f"quantity_{licence.pk}": "-1"})
    assert response.status_code == 400
    assert current(response.text) == ["Orders"]
    assert f'action="{chosen_url(acme, q="acme")}"' in response.text


def test_a_search_too_long_for_the_choice_is_not_carried(client, sam, acme):
    client.force_login(sam)
    html = client.get(chosen_url(acme, q="x" * 201)).text
    assert f'href="{CHOOSE}" data-customer-choice>' in html


@pytest.mark.parametrize("agent", ["hana", "bill", "nora"])
def test_agents_who_may_not_order_are_refused_this_way_in_too(
    request, client, agent, acme, initech
):
    client.force_login(request.getfixturevalue(agent))
    customer = initech if agent == "nora" else acme
    draft = uuid.uuid4()
    base = f"/orders/new/{customer.tenant_id}/"
    assert client.get(base).status_code == 403
    assert client.post(base).status_code == 403
    assert client.get(f"{base}review/{draft}/").status_code == 403
    assert client.post(f"{base}review/{draft}/place/").status_code == 403


def test_another_partners_customer_is_not_found_this_way_either(client, sam, globex):
    client.force_login(sam)
    assert client.get(chosen_url(globex)).status_code == 404


def test_in_czech_the_way_back_speaks_czech(client, sam, acme, licence):
    client.force_login(sam)
    client.cookies["django_language"] = "cs"
    html = client.get(chosen_url(acme, q="acme"), HTTP_ACCEPT_LANGUAGE="cs").text
    assert current(html) == ["Objednávky"]
    assert "Výběr zákazníka" in html
    assert "Zpět na výběr zákazníka" in html
