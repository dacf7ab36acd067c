"""Who may export, and what: every agent role exports exactly what its list shows (R4)."""

import pytest

from tests import factories as f
from tests.agreements.export import export, rows_of


def names(response) -> list[str]:
    return [row[2] for row in rows_of(response)[1:]]


@pytest.mark.parametrize("persona", ["alice", "sam", "hana", "bill"])
def test_every_contoso_role_exports_contosos_customers_only(client, request, persona, acme, globex):
    response = export(client, request.getfixturevalue(persona))
    assert response.status_code == 200
    assert names(response) == ["Acme s.r.o."]


def test_another_partner_exports_its_own_customers(client, lisa, acme, globex):
    assert names(export(client, lisa)) == ["Globex"]


def test_a_provider_exports_its_resellers_customers_after_its_own(
    client, frank, fabrikam, northwind, initech, template_cz, acme
):
    own = f.CustomerFactory(company_name="Zenith")
    f.RelationshipFactory(partner=fabrikam, customer=own)
    assert names(export(client, frank)) == ["Zenith", "Initech"]


def test_a_provider_exports_a_customer_it_shares_with_its_reseller_once(
    client, frank, fabrikam, initech
):
    f.RelationshipFactory(partner=fabrikam, customer=initech)
    assert names(export(client, frank)) == ["Initech"]


def test_a_resellers_export_shows_its_providers_attestation(client, nora, frank, initech):
    f.attest(initech, frank)
    row = rows_of(export(client, nora))[1]
    assert (row[2], row[4], row[13]) == ("Initech", "Attested by partner", "frank@fabrikam.example")


def test_another_partners_attestation_does_not_count(client, alice, lisa, acme, contoso, litware):
    f.RelationshipFactory(partner=litware, customer=acme)
    f.attest(acme, lisa)
    row = rows_of(export(client, alice))[1]
    assert (row[4], row[5]) == ("Not on record", "")


def test_a_customer_admin_may_not_export(client, acme_admin):
    assert export(client, acme_admin).status_code == 403


def test_an_operator_may_not_export(client, operator):
    assert export(client, operator).status_code == 403


def test_a_visitor_is_sent_to_sign_in(client, db):
    response = client.get("/customers/export.csv")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_only_get_is_allowed(client, alice):
    client.force_login(alice)
    assert client.post("/customers/export.csv").status_code == 405
