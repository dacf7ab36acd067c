"""A3: the Account info page shows the agreement status, the latest record and the history."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f


def url(customer):
    return reverse("customers:detail", args=[customer.tenant_id])


@pytest.mark.parametrize("persona", ["alice", "sam", "hana", "bill"])
def test_every_agent_role_can_read_account_info(request, client, acme, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url(acme))
    assert response.status_code == 200
    assert "Acme s.r.o." in response.text
    assert str(acme.tenant_id) in response.text


def test_another_partners_customer_is_not_found(client, alice, globex):
    client.force_login(alice)
    assert client.get(url(globex)).status_code == 404


def test_an_unknown_tenant_id_is_not_found(client, alice):
    client.force_login(alice)
    response = client.get("/customers/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404


def test_customer_admin_cannot_read_the_partner_page(client, acme_admin, acme):
    client.force_login(acme_admin)
    assert client.get(url(acme)).status_code == 403


def test_no_acceptance_on_record_is_said_plainly(client, alice, acme):
    client.force_login(alice)
    response = client.get(url(acme))
    assert "Not on record" in response.text
    assert "No acceptance of the Microsoft Customer Agreement is on record" in response.text


def test_an_attestation_shows_who_when_how_who_recorded_and_the_template_version(
    client, sam, alice, acme, template_cz
):
    date = timezone.localdate() - datetime.timedelta(days=3)
    f.attest(
        acme,
        sam,
        first_name="Eva",
        last_name="Dvořáková",
        email="eva@acme.example",
        date_agreed=date,
    )
    client.force_login(alice)
    response = client.get(url(acme))
    text = response.text
    assert "Attested by partner" in text
    assert "Partner attestation" in text
    assert "Eva Dvořáková" in text and "eva@acme.example" in text
    assert response.context["latest"].date_agreed == date
    assert sam.get_full_name() in text
    assert "Contoso Partner" in text
    assert f"v{template_cz.version_rank}" in text


def test_a_direct_acceptance_shows_as_accepted_directly(client, alice, acme, acme_admin):
    f.accept_directly(acme, acme_admin, alice.partner)
    client.force_login(alice)
    response = client.get(url(acme))
    assert "Accepted directly" in response.text
    assert "Direct acceptance" in response.text


def test_the_full_history_is_listed_newest_first(client, alice, acme):
    f.attest(
        acme, alice, first_name="Old", date_agreed=timezone.localdate() - datetime.timedelta(days=9)
    )
    f.attest(acme, alice, first_name="New")
    client.force_login(alice)
    history = client.get(url(acme)).context["history"]
    assert [record.first_name for record in history] == ["New", "Old"]


def test_another_partners_records_for_the_same_customer_are_not_shown(client, alice, lisa, acme):
    f.RelationshipFactory(partner=lisa.partner, customer=acme)
    f.attest(acme, lisa, first_name="Secret")
    client.force_login(alice)
    response = client.get(url(acme))
    assert "Secret" not in response.text
    assert response.context["history"] == []


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_helpdesk_and_billing_see_the_status_read_only(request, client, acme, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url(acme))
    assert reverse("customers:attest", args=[acme.tenant_id]) not in response.text
    assert "Only admin and sales agents can record acceptance." in response.text


@pytest.mark.parametrize("persona", ["alice", "sam"])
def test_admin_and_sales_agents_get_the_update_button(request, client, acme, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url(acme))
    assert reverse("customers:attest", args=[acme.tenant_id]) in response.text


def test_provider_reads_its_resellers_customer(client, frank, initech):
    client.force_login(frank)
    response = client.get(url(initech))
    assert response.status_code == 200
    assert "Customer of your reseller Northwind Reseller" in response.text
    assert reverse("customers:attest", args=[initech.tenant_id]) in response.text


def test_reseller_sees_who_attests_and_the_ask_button_instead_of_update(client, nora, initech):
    client.force_login(nora)
    response = client.get(url(initech))
    assert reverse("customers:attest", args=[initech.tenant_id]) not in response.text
    assert "Your indirect provider, Fabrikam Distribution, attests for you." in response.text
    assert "Ask my provider to attest" in response.text


def test_reseller_sees_its_providers_attestation(client, nora, frank, initech):
    f.attest(initech, frank, first_name="Karel")
    client.force_login(nora)
    response = client.get(url(initech))
    assert "Attested by partner" in response.text
    assert "Karel" in response.text


def test_the_page_offers_the_template_for_the_customers_country(client, alice, acme):
    client.force_login(alice)
    response = client.get(url(acme))
    assert reverse("agreements:download", args=["CZ"]) in response.text
    assert "Download the template for Czechia" in response.text


def test_a_country_without_a_template_says_so(client, alice, contoso):
    customer = f.CustomerFactory(country="FR")
    f.RelationshipFactory(partner=contoso, customer=customer)
    client.force_login(alice)
    response = client.get(url(customer))
    assert "No Microsoft Customer Agreement is published for France." in response.text


def test_account_info_query_count_does_not_grow_with_history(
    client, alice, acme, django_assert_max_num_queries
):
    client.force_login(alice)
    f.attest(acme, alice, first_name="A1")
    with django_assert_max_num_queries(15) as one:
        client.get(url(acme))
    for number in range(2, 12):
        f.attest(acme, alice, first_name=f"A{number}")
    with django_assert_max_num_queries(15) as many:
        client.get(url(acme))
    assert len(many.captured_queries) == len(one.captured_queries)


def test_the_template_version_reads_in_the_pages_language(client, alice, acme, template_cz):
    """The stored title is the operator's English; the page names the agreement type instead."""
    f.attest(acme, alice)
    client.force_login(alice)
    client.cookies["django_language"] = "cs"
    text = client.get(url(acme)).text
    assert f"Zákaznická smlouva Microsoftu v{template_cz.version_rank}" in text
