"""The dashboard, with its overview and queue, costs the same number of queries with a few
customers in every state as with many (no N+1; counters, not counts)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.services import request_attestation
from orders.models import GateRefusal
from tests import factories as f
from tests.portfolio.conftest import block, invite_customer, lapse

pytestmark = pytest.mark.django_db

BUDGET = 14


def add_work(partner, agent, make_customer, order_for, number, *, reseller=None, nora=None):
    """``number`` customers in each state that reaches the overview or the queue."""
    for index in range(number):
        f.attest(make_customer(partner), agent)
        block(make_customer(partner), agent)
        lapsing = make_customer(partner)
        invite_customer(lapsing, agent)
        lapse(lapsing, partner)
        refused = make_customer(partner)
        GateRefusal.objects.create(
            partner=partner,
            customer=refused,
            agent=agent,
            channel="web",
            at=timezone.now() - datetime.timedelta(minutes=index),
        )
        order_for(make_customer(partner), partner)
        if reseller is not None:
            asked = make_customer(reseller)
            request_attestation(customer=asked, reseller=reseller, requested_by=nora)
            block(make_customer(reseller), nora)


def dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return len(queries)


def test_a_direct_partners_dashboard_costs_the_same_at_two_sizes(
    client, sam, contoso, make_customer, order_for
):
    client.force_login(sam)
    add_work(contoso, sam, make_customer, order_for, 2)
    few = dashboard_queries(client)
    add_work(contoso, sam, make_customer, order_for, 13)
    many = dashboard_queries(client)
    assert few == many <= BUDGET


def test_a_providers_dashboard_costs_the_same_at_two_sizes(
    client, frank, fabrikam, northwind, nora, make_customer, order_for
):
    client.force_login(frank)
    add_work(fabrikam, frank, make_customer, order_for, 2, reseller=northwind, nora=nora)
    few = dashboard_queries(client)
    add_work(fabrikam, frank, make_customer, order_for, 13, reseller=northwind, nora=nora)
    many = dashboard_queries(client)
    # The provider's queue counts its resellers' requests, and agreements lists them.
    assert few == many <= BUDGET + 4


def test_the_refusals_page_costs_the_same_at_two_sizes(client, sam, contoso, make_customer):
    client.force_login(sam)

    def refuse(number):
        for _ in range(number):
            GateRefusal.objects.create(
                partner=contoso, customer=make_customer(contoso), agent=sam, channel="api"
            )

    refuse(2)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("portfolio:refusals"))
    refuse(30)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("portfolio:refusals"))
    assert len(few) == len(many) <= 8
