"""The customers search finds any part of a name, domain, contact or email, and a tenant ID
by its beginning, whatever the case and diacritics; never another partner's customer.

Run on SQLite and on PostgreSQL (where the trigram index answers it)."""

import pytest

from customers.search import fold
from tests import factories as f
from tests.customers.listing import URL, customer_of, names


@pytest.fixture
def horak(alice):
    return customer_of(
        alice.partner,
        "Kovárna Horák s.r.o.",
        domain="kovarnahorak.onmicrosoft.com",
        contact_first_name="Jan",
        contact_last_name="Procházka",
        contact_email="jan.prochazka@kovarna.example",
    )


@pytest.fixture
def others(alice):
    return [
        customer_of(alice.partner, "Blue Yonder Airlines", contact_last_name="Smith"),
        customer_of(alice.partner, "Pekárna Dvořák a.s.", contact_last_name="Dvořáková"),
    ]


@pytest.fixture
def searching(client, alice, horak, others):
    client.force_login(alice)
    return lambda term: names(client.get(URL, {"q": term}))


@pytest.mark.parametrize("term", ["horak", "HORÁK", "Horák", "hOrAk"])
def test_a_name_is_found_whatever_the_case_and_diacritics(searching, term):
    assert searching(term) == ["Kovárna Horák s.r.o."]


def test_a_word_in_the_middle_of_a_name_is_found(searching):
    assert searching("várna") == ["Kovárna Horák s.r.o."]


def test_the_middle_of_a_contacts_name_is_found_without_its_diacritics(searching):
    assert searching("ocházk") == ["Kovárna Horák s.r.o."]
    assert searching("prochazka") == ["Kovárna Horák s.r.o."]


def test_a_contacts_full_name_is_found(searching):
    assert searching("Jan Procházka") == ["Kovárna Horák s.r.o."]


def test_an_email_or_part_of_it_is_found(searching):
    assert searching("jan.prochazka@kovarna.example") == ["Kovárna Horák s.r.o."]
    assert searching("prochazka@kovarna") == ["Kovárna Horák s.r.o."]


def test_a_word_with_punctuation_is_found_whole_not_by_its_parts(searching, alice):
    """Its runs of letters narrow the search (the trigram index); the whole word decides."""
    customer_of(
        alice.partner,
        "Jan Sklo",
        contact_first_name="Jan",
        contact_last_name="Procházka",
        contact_email="prochazka.jan@sklo.example",
    )
    assert searching("jan.prochazka") == ["Kovárna Horák s.r.o."]
    assert searching("prochazka.jan") == ["Jan Sklo"]
    assert searching("prochazka@kovarna.example") == ["Kovárna Horák s.r.o."]
    # Runs too short for the index, and one that is: still the whole word.
    assert searching("s.r.o.") == ["Kovárna Horák s.r.o."]
    assert searching("a.s.") == ["Pekárna Dvořák a.s."]
    assert searching("horak-sklo") == []


def test_a_domain_or_part_of_it_is_found(searching):
    assert searching("kovarnahorak.onmicrosoft.com") == ["Kovárna Horák s.r.o."]
    assert searching("NAHORAK.ONMICRO") == ["Kovárna Horák s.r.o."]


def test_every_word_must_be_found_somewhere(searching):
    assert searching("horák jan") == ["Kovárna Horák s.r.o."]
    assert searching("horák smith") == []


def test_a_word_common_to_several_finds_them_all_by_name(searching):
    assert searching("ák") == ["Kovárna Horák s.r.o.", "Pekárna Dvořák a.s."]


def test_a_tenant_id_is_found_by_its_beginning(searching, horak):
    tenant = str(horak.tenant_id)
    assert searching(tenant) == ["Kovárna Horák s.r.o."]
    assert searching(tenant[:8]) == ["Kovárna Horák s.r.o."]
    assert searching(tenant[:13].upper()) == ["Kovárna Horák s.r.o."]
    assert searching(tenant.replace("-", "")[:10]) == ["Kovárna Horák s.r.o."]


def test_a_term_that_matches_nothing_says_so(client, alice, horak):
    client.force_login(alice)
    response = client.get(URL, {"q": "zzzz-nothing"})
    assert names(response) == []
    assert "No customers match your search." in response.text


def test_like_wildcards_are_searched_for_literally(searching):
    assert searching("%") == []
    assert searching("_") == []


def test_another_partners_customer_is_never_found(client, alice, globex, horak):
    customer_of(globex.relationships.get().partner, "Kovárna Horák Litware s.r.o.")
    client.force_login(alice)
    assert names(client.get(URL, {"q": "horak"})) == ["Kovárna Horák s.r.o."]
    assert names(client.get(URL, {"q": "globex"})) == []
    assert names(client.get(URL, {"q": str(globex.tenant_id)})) == []
    assert names(client.get(URL, {"q": str(globex.tenant_id)[:8]})) == []


def test_a_provider_finds_its_resellers_customer_once(client, frank, fabrikam, initech):
    f.RelationshipFactory(partner=fabrikam, customer=initech)
    client.force_login(frank)
    assert names(client.get(URL, {"q": "nitec"})) == ["Initech"]


def test_a_reseller_does_not_find_its_providers_own_customers(client, nora, fabrikam, initech):
    customer_of(fabrikam, "Initech Fabrikam Own")
    client.force_login(nora)
    assert names(client.get(URL, {"q": "initech"})) == ["Initech"]


def test_a_renamed_customer_is_found_by_its_new_name(client, alice, horak):
    horak.company_name = "Zámečnictví Šebek"
    horak.contact_email = "petr@sebek.example"
    horak.save()
    client.force_login(alice)
    assert names(client.get(URL, {"q": "zamecnictvi"})) == ["Zámečnictví Šebek"]
    assert names(client.get(URL, {"q": "s.r.o."})) == []
    assert names(client.get(URL, {"q": "petr@sebek"})) == ["Zámečnictví Šebek"]


def test_search_combines_with_the_filters(client, alice, horak):
    customer_of(alice.partner, "Horák Bavaria GmbH", country="DE")
    client.force_login(alice)
    assert names(client.get(URL, {"q": "horak", "country": "DE"})) == ["Horák Bavaria GmbH"]
    assert names(client.get(URL, {"q": "horak", "status": "none"})) == [
        "Horák Bavaria GmbH",
        "Kovárna Horák s.r.o.",
    ]
    assert names(client.get(URL, {"q": "horak", "status": "attested"})) == []


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Kovárna HORÁK", "kovarna horak"),
        ("Straße", "strasse"),
        ("Łódź", "lodz"),
        ("Ærø  Ø", "aero o"),
        ("ﬁrma", "firma"),
    ],
)
def test_folding_removes_case_diacritics_and_compatibility_forms(text, folded):
    assert fold(text) == folded
