"""The refusals page is history (30 days), but each row's action is the customer's status now:
once an acceptance is on record, no "Attest acceptance" (the dashboard's queue drops the refusal
then), but the status and since when. Who sees the button: those who attest; others see the
status. The page's query count doesn't grow with its rows. English and Czech."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from customers.models import Relationship
from orders.models import GateRefusal
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = reverse("portfolio:refusals")


def refuse(partner, customer, agent):
    return GateRefusal.objects.create(
        partner=partner, customer=customer, agent=agent, channel="web"
    )


def action_cells(html: str) -> list[str]:
    return [cell.split("</td>")[0] for cell in html.split("<td data-action>")[1:]]


@pytest.mark.parametrize(
    ("language", "on_record", "attest"),
    [
        ("en", "Acceptance on record since", "Attest acceptance"),
        ("cs", "Přijetí zaznamenáno od", "Potvrdit přijetí"),
    ],
)
def test_an_attested_customer_has_no_attest_button_but_its_acceptance_date(
    client, sam, contoso, make_customer, language, on_record, attest
):
    attested = make_customer(contoso, "Attested Since")
    pending = make_customer(contoso, "Still Pending")
    refuse(contoso, attested, sam)
    refuse(contoso, pending, sam)
    agreed = timezone.localdate() - datetime.timedelta(days=1)
    f.attest(attested, sam, date_agreed=agreed)
    accepted_on = Relationship.objects.get(partner=contoso, customer=attested).last_accepted_on

    client.force_login(sam)
    client.cookies["django_language"] = language
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE=language).text
    cells = dict(zip(["Still Pending", "Attested Since"], action_cells(html), strict=True))
    assert attest in cells["Still Pending"]
    assert attest not in cells["Attested Since"]
    with override(language):
        since = date_format(accepted_on, "DATE_FORMAT")
    assert f"{on_record} {since}" in cells["Attested Since"]


@pytest.mark.parametrize(
    ("agent", "attests"), [("alice", True), ("sam", True), ("hana", False), ("bill", False)]
)
def test_only_those_who_attest_get_the_button_others_the_status(
    request, client, contoso, make_customer, agent, attests
):
    refuse(contoso, make_customer(contoso, "Pending Co"), None)
    client.force_login(request.getfixturevalue(agent))
    [cell] = action_cells(client.get(URL).text)
    assert ("Attest acceptance" in cell) is attests
    assert ("Not on record" in cell) is not attests


def test_a_provider_attests_for_its_resellers_customer_the_reseller_sees_the_status(
    client, frank, nora, northwind, make_customer
):
    customer = make_customer(northwind, "Resold Co")
    refuse(northwind, customer, nora)
    client.force_login(nora)
    [cell] = action_cells(client.get(URL).text)
    assert "Attest acceptance" not in cell and "Not on record" in cell
    client.force_login(frank)
    [cell] = action_cells(client.get(URL).text)
    assert "Attest acceptance" in cell
    f.attest(customer, frank)
    [cell] = action_cells(client.get(URL).text)
    assert "Attest acceptance" not in cell and "Acceptance on record since" in cell


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_rows(client, sam, contoso, make_customer):
    client.force_login(sam)
    customers = [make_customer(contoso, f"Customer {n:02}") for n in range(12)]
    for customer in customers[:2]:
        refuse(contoso, customer, sam)
    f.attest(customers[0], sam)
    two = count_queries(client)
    for customer in customers[2:]:
        refuse(contoso, customer, sam)
    for customer in customers[2:7]:
        f.attest(customer, sam)
    assert count_queries(client) == two
