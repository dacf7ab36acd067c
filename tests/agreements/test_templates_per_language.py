"""Issue 16: more than one language per country (Partner Center offers en-US beside cs-CZ for
Czechia): the templates page and Account info list each language, downloads take one, and
every attestation form offers the languages published for the customer's country, recording
the exact document (its SHA-256) of the language chosen."""

import pytest

from agreements.models import Acceptance
from tests import factories as f

URL = "/agreements/"


@pytest.fixture
def cz_english(template_cz):
    """The same version's English document for Czechia."""
    return f.AgreementDocumentFactory(template=template_cz, country="CZ", language="en-US")


@pytest.fixture
def cz_czech(template_cz):
    return template_cz.documents.get(country="CZ", language="cs-CZ")


def test_the_templates_page_lists_every_language_of_a_country(client, hana, cz_english, cz_czech):
    client.force_login(hana)
    page = client.get(URL).text
    assert "?language=cs-CZ" in page
    assert "?language=en-US" in page
    chosen = client.get(URL, {"country": "CZ"})
    assert chosen.context["chosen_documents"] == [cz_czech, cz_english]
    assert cz_english.sha256 in chosen.text and cz_czech.sha256 in chosen.text


def test_a_download_takes_the_language(client, hana, cz_english, cz_czech):
    client.force_login(hana)
    english = client.get("/agreements/download/CZ/", {"language": "en-US"})
    assert english.status_code == 200
    assert english["ETag"] == f'"{cz_english.sha256}"'
    assert "CZ-en-US" in english["Content-Disposition"]
    default = client.get("/agreements/download/CZ/")
    assert default["ETag"] == f'"{cz_czech.sha256}"'


def test_a_language_not_published_there_is_404_with_a_clear_page(client, hana, cz_english):
    client.force_login(hana)
    response = client.get("/agreements/download/CZ/", {"language": "de-DE"})
    assert response.status_code == 404
    assert "is not published in de-DE" in response.text


def test_account_info_offers_each_language_the_customers_first(client, sam, acme, cz_english):
    acme.language = "en"
    acme.save()
    client.force_login(sam)
    page = client.get(f"/customers/{acme.tenant_id}/").text
    links = page.split("data-template-languages", 1)[1].split("</div>", 1)[0]
    assert links.index("language=en-US") < links.index("language=cs-CZ")


def test_the_attest_form_offers_the_countrys_languages_the_customers_chosen(
    client, sam, acme, cz_english
):
    client.force_login(sam)
    page = client.get(f"/customers/{acme.tenant_id}/agreement/update/").text
    assert 'name="agreement_language"' in page
    assert '<option value="cs-CZ" selected>' in page
    assert '<option value="en-US">' in page
    assert "en-GB" not in page  # another country's language


def attest_in(client, customer, language):
    return client.post(
        f"/customers/{customer.tenant_id}/agreement/update/",
        {
            "first_name": "Jana",
            "last_name": "Nováková",
            "email": "jana@example.cz",
            "date_agreed": "2025-06-01",
            "agreement_language": language,
        },
    )


def test_attesting_in_english_records_the_english_documents_hash(client, sam, acme, cz_english):
    client.force_login(sam)
    assert attest_in(client, acme, "en-US").status_code == 302
    assert Acceptance.objects.get().document_sha256 == cz_english.sha256


def test_attesting_without_a_choice_records_the_customers_language(
    client, sam, acme, cz_english, cz_czech
):
    client.force_login(sam)
    assert attest_in(client, acme, "").status_code == 302
    assert Acceptance.objects.get().document_sha256 == cz_czech.sha256


def test_a_language_not_published_for_the_country_is_refused(client, sam, acme, cz_english):
    f.AgreementDocumentFactory(template=cz_english.template, country="DE", language="de-DE")
    client.force_login(sam)
    response = attest_in(client, acme, "de-DE")
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert not Acceptance.objects.exists()


def test_an_older_version_without_that_language_is_refused(client, sam, acme, cz_english):
    """The older version the agent chose to record has no English document."""
    older = f.AgreementTemplateFactory(version_rank=0)
    f.AgreementDocumentFactory(template=older, country="CZ", language="cs-CZ")
    client.force_login(sam)
    response = client.post(
        f"/customers/{acme.tenant_id}/agreement/update/",
        {
            "first_name": "Jana",
            "last_name": "Nováková",
            "email": "jana@example.cz",
            "date_agreed": "2025-06-01",
            "agreement_language": "en-US",
            "record_version": str(older.template_id),
        },
    )
    assert response.status_code == 400
    assert "is not published in en-US for this country" in response.text
    assert not Acceptance.objects.exists()


@pytest.mark.parametrize("persona", ["hana", "bill", "lisa"])
def test_others_still_cannot_attest(request, client, persona, acme, cz_english):
    client.force_login(request.getfixturevalue(persona))
    assert attest_in(client, acme, "en-US").status_code in (403, 404)
    assert not Acceptance.objects.exists()


def test_a_new_customer_attested_in_english_records_the_english_document(client, sam, cz_english):
    from customers.models import Customer

    client.force_login(sam)
    data = {
        "company_name": "Wingtip s.r.o.",
        "domain": "wingtipcz",
        "country": "CZ",
        "address_line1": "Na Příkopě 10",
        "city": "Praha",
        "postal_code": "110 00",
        "language": "cs",
        "contact_first_name": "Petr",
        "contact_last_name": "Svoboda",
        "contact_email": "petr@wingtip.example",
        "agreement": "attested",
        "date_agreed": "2025-06-01",
        "agreement_language": "en-US",
    }
    review = client.post("/customers/new/", data)
    assert review.status_code == 302, review.text[:3000]
    summary = client.get(review["Location"]).text
    assert "en-US" in summary.split("data-agreement-language>", 1)[1].split("</dd>", 1)[0]
    created = client.post(review["Location"])
    assert created.status_code == 302
    customer = Customer.objects.get(domain="wingtipcz.onmicrosoft.com")
    assert Acceptance.objects.get(customer=customer).document_sha256 == cz_english.sha256


def test_a_new_customers_language_must_be_published_for_its_country(client, sam, cz_english):
    f.AgreementDocumentFactory(template=cz_english.template, country="DE", language="de-DE")
    client.force_login(sam)
    response = client.post(
        "/customers/new/",
        {
            "company_name": "Wingtip s.r.o.",
            "domain": "wingtipcz",
            "country": "CZ",
            "address_line1": "Na Příkopě 10",
            "city": "Praha",
            "postal_code": "110 00",
            "language": "cs",
            "contact_first_name": "Petr",
            "contact_last_name": "Svoboda",
            "contact_email": "petr@wingtip.example",
            "agreement": "attested",
            "date_agreed": "2025-06-01",
            "agreement_language": "de-DE",
        },
    )
    assert response.status_code == 400
    assert "is not published in de-DE for this country" in response.text


def test_the_attest_page_keeps_its_query_budget(
    client, sam, acme, cz_english, django_assert_max_num_queries
):
    client.force_login(sam)
    with django_assert_max_num_queries(14):
        assert client.get(f"/customers/{acme.tenant_id}/agreement/update/").status_code == 200
