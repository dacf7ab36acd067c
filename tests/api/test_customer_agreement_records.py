"""GET /v1/partners/customeragreementrecords: every customer the caller sees, with the
acceptance that counts for it, in Partner Center's collection shape."""

import pytest
from django.conf import settings

from tests import factories as f

URL = "/v1/partners/customeragreementrecords"


def test_a_customer_with_nothing_on_record(api_as, alice, acme):
    body = api_as(alice).get(URL).json()
    assert body["totalCount"] == 1
    assert body["attributes"] == {"objectType": "Collection"}
    assert "links" not in body
    assert body["items"] == [
        {
            "tenantId": str(acme.tenant_id),
            "domain": "acme.onmicrosoft.com",
            "companyName": "Acme s.r.o.",
            "country": "CZ",
            "agreementStatus": "notOnRecord",
            "onRecord": None,
            "customerPage": f"{settings.PORTAL_BASE_URL}/customers/{acme.tenant_id}/",
            "attributes": {"objectType": "CustomerAgreementRecord"},
        }
    ]


def test_an_attested_customer_shows_the_newest_record(api_as, alice, sam, acme):
    f.attest(acme, alice, first_name="Old")
    record = f.attest(acme, sam, first_name="Jana", phone="+420602000111")
    item = api_as(alice).get(URL).json()["items"][0]
    assert item["agreementStatus"] == "attested"
    assert item["onRecord"] == {
        "method": "partnerAttestation",
        "acceptedBy": {
            "firstName": "Jana",
            "lastName": "Nováková",
            "email": "jana@example.cz",
            "phoneNumber": "+420602000111",
        },
        "dateAgreed": record.date_agreed.isoformat(),
        "templateId": str(record.template.template_id),
        "templateVersion": record.template.version_rank,
        "recordedAt": item["onRecord"]["recordedAt"],
        "recordedBy": "sam@contoso.example",
    }
    assert item["onRecord"]["recordedAt"].endswith("Z")


def test_a_direct_acceptance(api_as, alice, acme, acme_admin, contoso):
    f.accept_directly(acme, acme_admin, contoso)
    item = api_as(alice).get(URL).json()["items"][0]
    assert (item["agreementStatus"], item["onRecord"]["method"]) == (
        "acceptedDirectly",
        "directAcceptance",
    )


@pytest.mark.parametrize("persona", ["alice", "sam", "hana", "bill"])
def test_every_role_reads_its_partners_records_only(api_as, request, persona, acme, globex):
    body = api_as(request.getfixturevalue(persona)).get(URL).json()
    assert [item["companyName"] for item in body["items"]] == ["Acme s.r.o."]


def test_a_provider_reads_its_resellers_customers_after_its_own(
    api_as, frank, fabrikam, initech, acme
):
    f.RelationshipFactory(partner=fabrikam, customer=f.CustomerFactory(company_name="Zenith"))
    body = api_as(frank).get(URL).json()
    assert [item["companyName"] for item in body["items"]] == ["Zenith", "Initech"]


def test_a_reseller_reads_its_providers_attestation(api_as, nora, frank, initech):
    f.attest(initech, frank)
    item = api_as(nora).get(URL).json()["items"][0]
    assert item["onRecord"]["recordedBy"] == "frank@fabrikam.example"


def test_the_lists_filters_narrow_the_records(api_as, alice, sam, contoso, acme):
    f.RelationshipFactory(
        partner=contoso, customer=f.CustomerFactory(company_name="Wingtip", country="DE")
    )
    f.attest(acme, sam)
    client = api_as(alice)

    def names(query):
        return [item["companyName"] for item in client.get(URL + query).json()["items"]]

    assert names("?search=wingtip") == ["Wingtip"]
    assert names("?country=de") == ["Wingtip"]
    assert names("?agreementStatus=attested") == ["Acme s.r.o."]
    assert names("?agreementStatus=notOnRecord") == ["Wingtip"]
