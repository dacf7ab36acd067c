""" "Needs your action": what is in it for each partner, most urgent first, bounded."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.services import request_attestation
from orders.models import GateRefusal
from portfolio import selectors
from tests import factories as f
from tests.portfolio.conftest import block, invite_customer, lapse

pytestmark = pytest.mark.django_db


def section(html: str, kind: str) -> str:
    if f'data-queue="{kind}"' not in html:
        return ""
    return html.split(f'data-queue="{kind}"')[1].split("</ul>")[0].split("</p>")[0]


def refuse(customer, partner, agent, *, ago=datetime.timedelta(hours=1)):
    return GateRefusal.objects.create(
        partner=partner, customer=customer, agent=agent, channel="web", at=timezone.now() - ago
    )


def test_a_direct_partner_sees_its_own_work_and_nobody_elses(
    client, sam, contoso, litware, lisa, make_customer, order_for
):
    blocked = make_customer(contoso, "Blocked Ltd")
    block(blocked, sam)
    refused = make_customer(contoso, "Refused Ltd")
    refuse(refused, contoso, sam)
    lapsing = make_customer(contoso, "Lapsing Ltd")
    invite_customer(lapsing, sam)
    lapsed = make_customer(contoso, "Lapsed Ltd")
    invite_customer(lapsed, sam)
    lapse(lapsed, contoso)

    lapsing.relationships.update(invited_until=timezone.now() + datetime.timedelta(days=3))
    far = make_customer(contoso, "Far Ltd")
    invite_customer(far, sam)  # lapses in 30 days: not yet
    bought = make_customer(contoso, "Bought Ltd")
    order_for(bought, contoso)
    theirs = make_customer(litware, "Theirs Ltd")
    block(theirs, lisa)
    refuse(theirs, litware, lisa)
    order_for(theirs, litware)
    client.force_login(sam)
    html = client.get(reverse("dashboard")).text
    assert "Blocked Ltd" in section(html, "blocked")
    assert "Refused Ltd" in section(html, "refusals")
    lapsing_html = section(html, "lapsing")
    assert lapsing_html.index("Lapsed Ltd") < lapsing_html.index("Lapsing Ltd")
    assert "Far Ltd" not in lapsing_html
    assert "Bought Ltd" in section(html, "unrecorded")
    assert "Theirs Ltd" not in html
    assert 'data-queue="requests"' not in html


def test_a_refusal_leaves_the_queue_once_the_customer_is_on_record(
    client, sam, contoso, make_customer
):
    customer = make_customer(contoso, "Refused Ltd")
    refuse(customer, contoso, sam)
    refuse(make_customer(contoso, "Old Ltd"), contoso, sam, ago=datetime.timedelta(days=31))
    client.force_login(sam)
    assert "Refused Ltd" in section(client.get(reverse("dashboard")).text, "refusals")
    f.attest(customer, sam)
    html = client.get(reverse("dashboard")).text
    assert "Refused Ltd" not in html and "Old Ltd" not in html


def test_a_provider_sees_its_resellers_blocked_customers_and_their_requests(
    client, frank, fabrikam, northwind, nora, make_customer
):
    resold = make_customer(northwind, "Resold Blocked")
    block(resold, nora)
    asked = make_customer(northwind, "Asked Ltd")
    request_attestation(customer=asked, reseller=northwind, requested_by=nora)
    client.force_login(frank)
    html = client.get(reverse("dashboard")).text
    assert "Resold Blocked" in section(html, "blocked")
    assert "through Northwind Reseller" in section(html, "blocked")
    assert "1 request from a reseller waits for your attestation." in section(html, "requests")
    # The requests themselves are listed once, in the attestation queue below.
    assert html.count(">Asked Ltd</a>") == 1


def test_each_kind_shows_at_most_ten_and_links_to_the_rest(client, sam, contoso, make_customer):
    for number in range(selectors.QUEUE_SIZE + 2):
        refuse(make_customer(contoso, f"Refused {number:02d}"), contoso, sam)
    client.force_login(sam)
    html = client.get(reverse("dashboard")).text
    assert section(html, "refusals").count("<li") == selectors.QUEUE_SIZE
    assert reverse("portfolio:refusals") in html
    # Most urgent first: the newest refusal.
    assert "Refused 11" in section(html, "refusals")
    page = client.get(reverse("portfolio:refusals")).text
    assert all(f"Refused {number:02d}" in page for number in range(12))


def test_an_empty_queue_says_so(client, sam):
    client.force_login(sam)
    assert "Nothing waits for you" in client.get(reverse("dashboard")).text
