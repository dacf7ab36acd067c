"""A4: the Agreement templates page lists the latest document of every country."""

import pytest
from django.urls import reverse

from tests import factories as f

URL = reverse("agreements:templates")


@pytest.mark.parametrize("persona", ["alice", "sam", "hana", "bill", "nora"])
def test_every_agent_can_open_the_templates_page(request, client, template_cz, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(URL)
    assert response.status_code == 200
    assert "Czechia" in response.text
    assert reverse("agreements:download", args=["CZ"]) in response.text


def test_customer_admin_cannot_open_the_partner_templates_page(client, acme_admin):
    client.force_login(acme_admin)
    assert client.get(URL).status_code == 403


def test_choosing_a_country_shows_its_latest_version(client, hana, template_cz):
    newer = f.AgreementDocumentFactory(country="CZ", language="cs-CZ")
    client.force_login(hana)
    response = client.get(URL, {"country": "CZ"})
    assert response.context["chosen_documents"] == [newer]
    assert f"Latest version: {newer.template.version_rank} (cs-CZ)" in response.text
    assert newer.sha256 in response.text


def test_a_country_with_no_document_says_so_clearly(client, hana, template_cz):
    client.force_login(hana)
    response = client.get(URL, {"country": "FR"})
    assert response.status_code == 200
    assert "No Microsoft Customer Agreement is published for France." in response.text


def test_an_unknown_country_is_a_field_error(client, hana):
    client.force_login(hana)
    response = client.get(URL, {"country": "XX"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.text


def test_the_page_lists_only_the_latest_document_per_country(client, hana, template_cz):
    newer = f.AgreementDocumentFactory(country="CZ", language="cs-CZ")
    client.force_login(hana)
    documents = client.get(URL).context["documents"]
    assert [d.country.code for d in documents].count("CZ") == 1
    assert newer in documents


def test_the_templates_page_query_count_does_not_grow_with_documents(
    client, hana, template_cz, django_assert_max_num_queries
):
    client.force_login(hana)
    with django_assert_max_num_queries(6) as few:
        client.get(URL)
    for country in ("DE", "GB", "FR", "SK", "AT"):
        f.AgreementDocumentFactory(country=country, language="xx-XX")
    with django_assert_max_num_queries(6) as many:
        client.get(URL)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_country_select_starts_at_the_partners_country(client, hana, template_cz):
    client.force_login(hana)
    response = client.get(URL)
    assert '<option value="CZ" selected>' in response.text
