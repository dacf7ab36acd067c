"""POST/GET/DELETE /v1/attestations/enhanced, and POST /v1/customers/{id}/agreements with the
attestationId of an accepted request (200 with the record already there; nothing twice)."""

import pytest

from agreements.models import Acceptance
from signing.models import SigningRequest, SigningStatus
from tests import factories as f
from tests.signing.conftest import accept, assert_error, path_of

pytestmark = pytest.mark.django_db

URL = "/v1/attestations/enhanced"


def body(customer, **overrides):
    return {
        "customerTenantId": str(customer.tenant_id),
        "country": "US",
        "language": "en-US",
        "companyName": customer.company_name,
        "signatoryFirstName": "Jana",
        "signatoryLastName": "Nováková",
        "signatoryEmail": "jana@acme.example",
        "signatoryJobTitle": "CFO",
        **overrides,
    }


def test_a_sales_agent_starts_one_and_gets_the_url_once(api_as, sam, acme):
    response = api_as(sam).post_json(URL, body(acme))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "pending"
    assert data["url"].startswith("http") and "/signing/sign/" in data["url"]
    assert data["expiresAt"].endswith("Z")
    assert data["attestationId"] == str(SigningRequest.objects.get().public_id)
    assert data["signatory"]["jobTitle"] == "CFO"
    assert data["attributes"] == {"objectType": "EnhancedAttestation"}
    status = api_as(sam).get(f"{URL}/{data['attestationId']}").json()
    assert "url" not in status
    assert status["status"] == "pending" and status["openedAt"] is None


def test_the_status_follows_the_signatory(api_as, sam, acme, client, verified):
    created = api_as(sam).post_json(URL, body(acme)).json()
    path = path_of(created["url"])
    client.get(path)
    api = api_as(sam)
    assert api.get(f"{URL}/{created['attestationId']}").json()["status"] == "opened"
    accept(client, path, verified(path))
    status = api.get(f"{URL}/{created['attestationId']}").json()
    assert status["status"] == "accepted"
    assert status["acceptedAt"] and status["codeVerifiedAt"]
    assert status["agreementId"] == str(Acceptance.objects.get().public_id)


def test_an_accepted_attestation_is_the_agreement_and_nothing_is_recorded_twice(
    api_as, sam, acme, client, verified
):
    created = api_as(sam).post_json(URL, body(acme)).json()
    path = path_of(created["url"])
    accept(client, path, verified(path))
    api = api_as(sam)
    agreements = f"/v1/customers/{acme.tenant_id}/agreements"
    response = api.post_json(agreements, {"attestationId": created["attestationId"]})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["id"] == str(Acceptance.objects.get().public_id)
    assert data["method"] == "signatoryAcceptance"
    assert data["acceptedBy"]["role"] == "signatory"
    assert data["recordedBy"]["userId"] == str(sam.pk)
    assert api.post_json(agreements, {"attestationId": created["attestationId"]}).status_code == 200
    assert Acceptance.objects.count() == 1
    history = api.get(agreements).json()
    assert history["totalCount"] == 1


def test_an_attestation_not_yet_accepted_is_409(api_as, sam, acme):
    created = api_as(sam).post_json(URL, body(acme)).json()
    response = api_as(sam).post_json(
        f"/v1/customers/{acme.tenant_id}/agreements", {"attestationId": created["attestationId"]}
    )
    assert_error(response, 409, 600064)
    assert not Acceptance.objects.exists()


def test_an_unknown_attestation_is_404(api_as, sam, acme):
    response = api_as(sam).post_json(
        f"/v1/customers/{acme.tenant_id}/agreements",
        {"attestationId": "00000000-0000-4000-8000-000000000000"},
    )
    assert_error(response, 404, 1000)


def test_a_second_open_one_for_the_same_signatory_is_409_naming_the_first(api_as, sam, acme):
    first = api_as(sam).post_json(URL, body(acme)).json()
    error = assert_error(api_as(sam).post_json(URL, body(acme)), 409, 600062)
    assert first["attestationId"] in error["description"]


def test_a_customer_on_record_is_600061_unless_acknowledged(api_as, sam, acme):
    f.attest(acme, sam)
    error = assert_error(api_as(sam).post_json(URL, body(acme)), 409, 600061)
    assert error["description"].startswith("PartnerConfirmedAgreementAlreadyExists")
    response = api_as(sam).post_json(URL, body(acme, acknowledgeExistingAcceptance=True))
    assert response.status_code == 201


def test_a_reseller_is_refused_with_its_provider_named(api_as, nora, initech):
    error = assert_error(api_as(nora).post_json(URL, body(initech)), 403, 900123)
    assert "Fabrikam Distribution" in error["description"]


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_read_only_roles_cannot_start_or_revoke(api_as, request, persona, sam, acme):
    created = api_as(sam).post_json(URL, body(acme)).json()
    api = api_as(request.getfixturevalue(persona))
    assert_error(api.post_json(URL, body(acme, signatoryEmail="x@acme.example")), 403)
    assert_error(api.delete(f"{URL}/{created['attestationId']}"), 403)
    assert api.get(f"{URL}/{created['attestationId']}").status_code == 200


def test_another_partners_customer_and_attestation_are_not_found(api_as, sam, lisa, acme, globex):
    assert_error(api_as(sam).post_json(URL, body(globex)), 404, 60003)
    created = api_as(sam).post_json(URL, body(acme)).json()
    assert_error(api_as(lisa).get(f"{URL}/{created['attestationId']}"), 404, 1000)
    assert_error(api_as(lisa).delete(f"{URL}/{created['attestationId']}"), 404, 1000)


def test_delete_revokes_and_a_second_delete_is_409(api_as, sam, acme, client):
    created = api_as(sam).post_json(URL, body(acme)).json()
    api = api_as(sam)
    assert api.delete(f"{URL}/{created['attestationId']}").status_code == 204
    assert SigningRequest.objects.get().status == SigningStatus.REVOKED
    assert api.get(f"{URL}/{created['attestationId']}").json()["status"] == "revoked"
    assert client.get(path_of(created["url"])).status_code == 410
    assert_error(api.delete(f"{URL}/{created['attestationId']}"), 409, 600063)


def test_a_language_not_published_is_400(api_as, sam, acme):
    error = assert_error(api_as(sam).post_json(URL, body(acme, language="de-DE")), 400, 800002)
    assert "en-US" in error["description"]


def test_a_repeated_request_id_replays_the_first_answer(api_as, sam, acme):
    api = api_as(sam)
    first = api.post_json(URL, body(acme), headers={"MS-RequestId": "sign-1"})
    again = api.post_json(URL, body(acme), headers={"MS-RequestId": "sign-1"})
    assert first.status_code == again.status_code == 201
    assert again.json()["attestationId"] == first.json()["attestationId"]
    # R7: the link is not kept for replays.
    assert first.json()["url"] and again.json()["url"] == ""
    assert SigningRequest.objects.count() == 1
