"""A list whose search or filters are refused (400) shows the errors, each linked to its field,
keeps what was typed, and lists no rows: a tester saw the whole unfiltered list under the error
on the customers list, New order's customer choice, the campaign's table and the invitations;
the orders and offers lists listed none but said nothing matched."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests import factories as f
from tests.campaigns.conftest import campaign_world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

TOO_LONG = "acme" + "x" * 200


def assert_refused(response, *, shows: str, field_id: str) -> None:
    html = response.text
    assert response.status_code == 400
    assert shows not in html, "a row of the list is shown under the error"
    assert "data-list-refused" in html
    assert "No rows are listed until the search or filters above are corrected." in html
    summary = html.split("data-filter-errors", 1)[1].split("</div>", 1)[0]
    assert f'href="#{field_id}"' in summary
    # The field says it is invalid and points at its message, which is there.
    field = re.search(rf'<(input|select)[^>]*id="{field_id}"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field
    assert f"{field_id}_error" in field
    assert f'id="{field_id}_error"' in html


def test_the_customers_list_lists_nothing_under_a_refused_search(client, sam, acme):
    client.force_login(sam)
    response = client.get(reverse("customers:list"), {"q": TOO_LONG})
    assert_refused(response, shows="Acme s.r.o.", field_id="id_q")
    assert f'value="{TOO_LONG}"' in response.text  # what was typed is kept


def test_the_customers_list_lists_nothing_under_a_refused_status(client, sam, acme):
    client.force_login(sam)
    response = client.get(reverse("customers:list"), {"status": "bogus", "q": "acme"})
    assert_refused(response, shows="Acme s.r.o.", field_id="id_status")
    assert 'value="acme"' in response.text


def test_a_refused_sort_is_named_but_not_linked(client, sam, acme):
    client.force_login(sam)
    response = client.get(reverse("customers:list"), {"sort": "sideways"})
    assert response.status_code == 400
    assert "Acme s.r.o." not in response.text
    summary = response.text.split("data-filter-errors", 1)[1].split("</div>", 1)[0]
    assert "Sort by: Select a valid choice" in summary
    assert "href=" not in summary


def test_new_orders_customer_choice_lists_nothing_under_a_refused_search(client, sam, acme):
    client.force_login(sam)
    response = client.get(reverse("orders:choose_customer"), {"q": TOO_LONG})
    assert_refused(response, shows="data-order-for", field_id="id_q")
    assert f'value="{TOO_LONG}"' in response.text


def test_the_campaign_table_lists_nothing_under_a_refused_filter(
    client,
    sam,
    campaign_world,  # noqa: F811
):
    version, _customers = campaign_world
    client.force_login(sam)
    url = reverse("campaigns:detail", args=[version.template_id])
    response = client.get(url, {"state": "lost", "q": "s.r.o."})
    assert_refused(response, shows="data-campaign-table", field_id="id_state")
    assert "No customer of the campaign matches." not in response.text
    assert 'value="s.r.o."' in response.text


def test_the_invitations_list_lists_nothing_under_a_refused_filter(client, sam, acme):
    f.InvitationFactory(partner=sam.partner, customer=acme)
    client.force_login(sam)
    response = client.get(reverse("invitations:list"), {"kind": "gift"})
    assert_refused(response, shows="Acme s.r.o.", field_id="id_kind")


def test_the_orders_list_lists_nothing_under_a_refused_search(client, sam, acme, order_for):
    order_for(acme, sam.partner)
    client.force_login(sam)
    response = client.get(reverse("orders:list"), {"q": TOO_LONG})
    assert_refused(response, shows="Acme s.r.o.", field_id="id_q")
    assert "No orders match your search." not in response.text


def test_the_offers_list_lists_nothing_under_a_refused_filter(client, sam):
    f.OfferFactory(name="Microsoft 365 E3", countries=["CZ"])
    client.force_login(sam)
    response = client.get(reverse("orders:offers"), {"country": "XX"})
    assert_refused(response, shows="Microsoft 365 E3", field_id="id_country")
    assert "No offers match your filter." not in response.text


def test_in_czech_the_refusal_speaks_czech(client, sam, acme):
    client.force_login(sam)
    client.cookies["django_language"] = "cs"
    response = client.get(reverse("customers:list"), {"q": TOO_LONG}, HTTP_ACCEPT_LANGUAGE="cs")
    assert response.status_code == 400
    assert "Opravte vyhledávání nebo filtry" in response.text
    assert "nezobrazí se žádné řádky" in response.text


def test_a_refused_customers_list_asks_the_database_less_than_a_valid_one(
    client, sam, acme, django_assert_max_num_queries
):
    client.force_login(sam)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as valid:
        assert client.get(reverse("customers:list"), {"q": "acme"}).status_code == 200
    with CaptureQueriesContext(connection) as refused:
        assert client.get(reverse("customers:list"), {"q": TOO_LONG}).status_code == 400
    assert len(refused) <= len(valid)
