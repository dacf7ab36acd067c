import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from customers.models import AgreementStatus, Relationship
from tests import factories as f
from tests.customers.listing import customer_of

URL = reverse("customers:list")


@pytest.mark.parametrize("persona", ["alice", "sam", "hana", "bill"])
def test_every_agent_role_sees_its_partners_customers(request, client, acme, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(URL)
    assert response.status_code == 200
    assert "Acme s.r.o." in response.text


def test_another_partners_customers_are_not_listed(client, alice, acme, globex):
    client.force_login(alice)
    response = client.get(URL)
    assert "Globex" not in response.text


def test_customer_admin_cannot_open_the_customers_page(client, acme_admin):
    client.force_login(acme_admin)
    assert client.get(URL).status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_provider_sees_its_resellers_customers_labelled_with_the_reseller(client, frank, initech):
    client.force_login(frank)
    response = client.get(URL)
    assert "Initech" in response.text
    assert "Customer of your reseller Northwind Reseller" in response.text


def test_reseller_does_not_see_its_providers_own_customers(client, nora, fabrikam, initech):
    own = f.CustomerFactory(company_name="Fabrikam Own Customer")
    f.RelationshipFactory(partner=fabrikam, customer=own)
    client.force_login(nora)
    response = client.get(URL)
    assert "Initech" in response.text
    assert "Fabrikam Own Customer" not in response.text


def test_each_row_shows_the_agreement_status(client, alice, acme):
    f.attest(acme, alice)
    client.force_login(alice)
    response = client.get(URL)
    assert "Attested by partner" in response.text


def test_search_finds_a_customer_by_the_beginning_of_its_company_name(client, alice, acme):
    other = f.CustomerFactory(company_name="Blue Yonder")
    f.RelationshipFactory(partner=alice.partner, customer=other)
    client.force_login(alice)
    response = client.get(URL, {"q": "acm"})
    assert "Acme s.r.o." in response.text
    assert "Blue Yonder" not in response.text


def test_search_finds_a_customer_by_domain(client, alice, acme):
    other = f.CustomerFactory(company_name="Blue Yonder", domain="blueyonder.onmicrosoft.com")
    f.RelationshipFactory(partner=alice.partner, customer=other)
    client.force_login(alice)
    response = client.get(URL, {"q": "BLUEYONDER.onmicrosoft"})
    assert "Blue Yonder" in response.text
    assert "Acme s.r.o." not in response.text


def test_search_finds_a_customer_by_exact_tenant_id(client, alice, acme):
    other = f.CustomerFactory(company_name="Blue Yonder")
    f.RelationshipFactory(partner=alice.partner, customer=other)
    client.force_login(alice)
    response = client.get(URL, {"q": str(other.tenant_id)})
    assert "Blue Yonder" in response.text
    assert "Acme s.r.o." not in response.text


def test_search_by_tenant_id_never_finds_another_partners_customer(client, alice, globex):
    client.force_login(alice)
    response = client.get(URL, {"q": str(globex.tenant_id)})
    assert "Globex" not in response.text
    assert "No customers match your search." in response.text


def test_filter_by_agreement_status(client, alice, acme):
    other = f.CustomerFactory(company_name="Blue Yonder")
    f.RelationshipFactory(partner=alice.partner, customer=other)
    f.attest(other, alice)
    client.force_login(alice)
    response = client.get(URL, {"status": AgreementStatus.ATTESTED})
    assert "Blue Yonder" in response.text
    assert "Acme s.r.o." not in response.text
    response = client.get(URL, {"status": AgreementStatus.NONE})
    assert "Acme s.r.o." in response.text
    assert "Blue Yonder" not in response.text


def test_filter_by_country(client, alice, acme):
    other = f.CustomerFactory(company_name="Contoso Bavaria GmbH", country="DE")
    f.RelationshipFactory(partner=alice.partner, customer=other)
    client.force_login(alice)
    response = client.get(URL, {"country": "DE"})
    assert "Contoso Bavaria GmbH" in response.text
    assert "Acme s.r.o." not in response.text


def test_an_unknown_status_filter_is_a_bad_request_with_a_field_error(client, alice, acme):
    client.force_login(alice)
    response = client.get(URL, {"status": "bogus"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.text


def test_the_list_is_paginated_and_keeps_the_search(client, alice, many_customers):
    many_customers(alice.partner, 30)
    client.force_login(alice)
    first = client.get(URL, {"q": "Customer"})
    assert "Page 1 of 2" in first.text
    assert "?q=Customer&amp;page=2" in first.text
    second = client.get(URL, {"q": "Customer", "page": 2})
    assert second.status_code == 200
    assert "Page 2 of 2" in second.text


def test_only_write_agents_see_the_new_customer_button(client, alice, hana):
    client.force_login(alice)
    assert reverse("customers:new") in client.get(URL).text
    client.force_login(hana)
    assert reverse("customers:new") not in client.get(URL).text


def test_a_provider_sees_a_customer_it_also_serves_itself_once(client, frank, fabrikam, initech):
    """Initech is Northwind's customer; once Fabrikam serves it directly too, the list shows
    one row, Fabrikam's own (the one Account info opens), not a second "via reseller" row."""
    f.RelationshipFactory(partner=fabrikam, customer=initech)
    client.force_login(frank)
    response = client.get(URL)
    assert response.text.count(str(initech.tenant_id)) == 1
    assert "Customer of your reseller Northwind Reseller" not in response.text
    assert client.get(URL, {"q": "Initech"}).text.count(str(initech.tenant_id)) == 1


def test_the_relationship_keeps_a_copy_of_the_customers_country(alice, acme):
    """The list filters on the copy; it follows the customer wherever the customer is saved."""
    relationship = acme.relationships.get()
    assert relationship.customer_country == acme.country
    acme.country = "DE"
    acme.save()
    relationship.refresh_from_db()
    assert relationship.customer_country.code == "DE"


def test_the_country_copy_follows_a_relationship_moved_to_another_customer(alice, acme):
    other = f.CustomerFactory(company_name="Elsewhere Inc.", country="US")
    relationship = acme.relationships.get()
    relationship.customer = other
    relationship.save()
    relationship.refresh_from_db()
    assert relationship.customer_country.code == "US"


def test_the_box_to_tick_a_customer_sits_in_the_name_cell_that_stays_in_view(client, alice, acme):
    """At 1280 px the table scrolls in its box and the name column stays: a tick box in a last
    column was out of sight, so each row's box is in its name's cell."""
    import re

    client.force_login(alice)
    page = client.get(URL).text
    row = re.search(r"<tbody>\s*<tr>\s*<td>(.*?)</td>", page, re.S)
    assert row is not None
    first_cell = row.group(1)
    assert 'type="checkbox"' in first_cell and 'aria-label="Select Acme s.r.o."' in first_cell
    assert "Acme s.r.o.</a>" in first_cell
    header = re.search(r"<thead>(.*?)</thead>", page, re.S).group(1)
    assert header.count("<th") == 6, "no header for a column of boxes"


def test_a_domain_may_wrap_only_before_its_dots_and_stays_escaped(client, sam):
    customer_of(sam.partner, "Graphic Design Institute", domain="graphic<b>.onmicrosoft.com")
    client.force_login(sam)
    html = client.get(URL).text
    assert "graphic&lt;b&gt;<wbr>.onmicrosoft<wbr>.com" in html


def test_a_row_escapes_what_a_customer_is_named_and_speaks_the_readers_language(client, alice):
    """The rows are written in one pass (customers/templatetags/customer_rows.py): a name is
    escaped in its link and in its box's label, and the row's words are translated."""
    customer = f.CustomerFactory(company_name='Tom & "Jerry" <b>', domain="tom.example")
    relationship = f.RelationshipFactory(partner=alice.partner, customer=customer)
    client.force_login(alice)
    page = client.get(URL).text
    assert ">Tom &amp; &quot;Jerry&quot; &lt;b&gt;</a>" in page
    assert 'aria-label="Select Tom &amp; &quot;Jerry&quot; &lt;b&gt;"' in page
    assert f'id="select-{relationship.pk}"' in page
    assert "tom<wbr>.example" in page
    assert '<span class="visually-hidden">Not on record</span>' in page
    czech = client.get(URL, HTTP_ACCEPT_LANGUAGE="cs").text
    assert 'aria-label="Vybrat Tom &amp; &quot;Jerry&quot; &lt;b&gt;"' in czech
    assert '<span class="visually-hidden">Nezaznamenáno</span>' in czech


def test_each_rows_status_is_named_in_the_readers_language(client, alice, template_cz):
    """The rows name each status once a page (customers/templatetags/customer_rows.py): every
    row still shows its own, translated; a lapsed invitation shows as nothing on record."""
    attested = f.RelationshipFactory(partner=alice.partner, customer__company_name="Attested Ltd")
    f.attest(attested.customer, alice)
    lapsed = f.RelationshipFactory(partner=alice.partner, customer__company_name="Lapsed Ltd")
    Relationship.objects.filter(pk=lapsed.pk).update(
        agreement_status=AgreementStatus.INVITED,
        invited_until=timezone.now() - datetime.timedelta(days=1),
    )
    client.force_login(alice)
    english = client.get(URL).text
    assert english.count(">Attested by partner</span>") == 1
    assert english.count(">Not on record</span></td>") == 1
    czech = client.get(URL, HTTP_ACCEPT_LANGUAGE="cs").text
    assert czech.count(">Přijetí potvrzeno partnerem</span>") == 1
    assert ">Attested by partner</span>" not in czech
