"""Every agent sees its partner's counts, a provider its resellers' apart, nobody else's;
each count links to the customers list filtered the same way."""

import re

import pytest
from django.urls import reverse

from tests import factories as f
from tests.portfolio.conftest import block, invite_customer, lapse

pytestmark = pytest.mark.django_db


def counts_in(html: str, group: str) -> dict[str, int]:
    section = html.split(f'data-group="{group}"')[1].split("</ul>")[0]
    return {
        link: int(count)
        for link, count in re.findall(
            r'href="/customers/\?status=(\w+)" data-status-link>[^<]*</a> <span[^>]*>(\d+)<',
            section,
        )
    }


@pytest.mark.parametrize("persona", ["alice", "sam", "hana", "bill"])
def test_every_role_of_a_direct_partner_sees_its_own_counts_and_nobody_elses(
    client, request, persona, contoso, sam, lisa, make_customer
):
    mine = [make_customer(contoso) for _ in range(3)]
    f.attest(mine[0], sam)
    block(mine[1], sam)
    theirs = make_customer(request.getfixturevalue("litware"))
    f.attest(theirs, lisa)
    client.force_login(request.getfixturevalue(persona))
    html = client.get(reverse("dashboard")).text
    assert counts_in(html, "own") == {
        "none": 1,
        "lapsed": 0,
        "invited": 0,
        "blocked": 1,
        "due": 0,
        "attested": 1,
        "accepted": 0,
    }
    assert 'data-group="resellers"' not in html


def test_a_provider_sees_its_resellers_customers_apart(
    client, frank, fabrikam, northwind, nora, make_customer
):
    own = make_customer(fabrikam)
    f.attest(own, frank)
    resold = [make_customer(northwind) for _ in range(3)]
    f.attest(resold[0], frank)
    invite_customer(resold[1], nora)
    invite_customer(resold[2], nora)
    lapse(resold[2], northwind)
    client.force_login(frank)
    html = client.get(reverse("dashboard")).text
    assert counts_in(html, "own") == {
        "none": 0,
        "lapsed": 0,
        "invited": 0,
        "blocked": 0,
        "due": 0,
        "attested": 1,
        "accepted": 0,
    }
    assert counts_in(html, "resellers") == {
        "none": 1,
        "lapsed": 1,
        "invited": 1,
        "blocked": 0,
        "due": 0,
        "attested": 1,
        "accepted": 0,
    }


def test_a_reseller_sees_its_own_customers_only(client, nora, northwind, fabrikam, make_customer):
    make_customer(northwind)
    make_customer(fabrikam)
    client.force_login(nora)
    html = client.get(reverse("dashboard")).text
    assert counts_in(html, "own")["none"] == 1
    assert 'data-group="resellers"' not in html


def test_each_count_is_the_length_of_the_list_it_links_to(client, sam, contoso, make_customer):
    customers = [make_customer(contoso) for _ in range(4)]
    invite_customer(customers[0], sam)
    invite_customer(customers[1], sam)
    lapse(customers[1], contoso)
    f.attest(customers[2], sam)
    client.force_login(sam)
    counts = counts_in(client.get(reverse("dashboard")).text, "own")
    for status, count in counts.items():
        listed = client.get(reverse("customers:list"), {"status": status}).text
        rows = listed.count('<span class="badge ')
        assert rows == count, status


def test_the_charts_have_a_text_alternative_and_a_data_table(client, sam, contoso, make_customer):
    f.attest(make_customer(contoso), sam)
    client.force_login(sam)
    html = client.get(reverse("dashboard")).text
    assert html.count('role="img"') >= 2
    assert '<title id="status-own-title">Customers by agreement status</title>' in html
    assert "1 customers. Not on record: 0; Invited: 0" in html
    assert "1 acceptances recorded in the 26 weeks" in html
    assert html.count("The chart's data as a table") == 2


def test_a_customer_a_provider_serves_itself_and_through_a_reseller_counts_once(
    client, frank, fabrikam, northwind, nora, make_customer
):
    """The provider's own figures count it; the resellers' don't count it again — as the
    customers list, where each count links, shows it once, through the provider's own."""
    both = [make_customer(fabrikam) for _ in range(4)]
    for customer in both:
        f.RelationshipFactory(partner=northwind, customer=customer)
    f.attest(both[0], frank)
    invite_customer(both[1], nora)
    invite_customer(both[2], nora)
    lapse(both[2], northwind)
    block(both[3], nora)
    only_resold = make_customer(northwind)
    invite_customer(only_resold, nora)
    client.force_login(frank)
    html = client.get(reverse("dashboard")).text
    own, resellers = counts_in(html, "own"), counts_in(html, "resellers")
    assert sum(own[status] for status in own if status != "lapsed") == 4
    assert resellers == {
        "none": 0,
        "lapsed": 0,
        "invited": 1,
        "blocked": 0,
        "due": 0,
        "attested": 0,
        "accepted": 0,
    }
    listed = client.get(reverse("customers:list")).context["page"].total
    assert listed == 5
    for status in ("none", "invited", "attested", "blocked"):
        on_the_list = client.get(reverse("customers:list"), {"status": status})
        assert on_the_list.context["page"].total == own[status] + resellers[status], status
