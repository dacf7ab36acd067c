"""Only admin and sales agents of partners that may attest start, resend or revoke signing
links (R2, R3); a reseller is told which provider attests; another partner's customer is 404."""

import pytest

from signing.models import SigningRequest

pytestmark = pytest.mark.django_db

FORM = {
    "first_name": "Jana",
    "last_name": "Nováková",
    "email": "jana@acme.example",
    "agreement": "CZ:cs-CZ",
    "expires_in_days": 14,
}


@pytest.mark.parametrize("persona", ["alice", "sam"])
def test_admin_and_sales_agents_can_start_a_link(client, request, persona, acme):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(f"/signing/customers/{acme.tenant_id}/start/", FORM)
    assert response.status_code == 302
    assert SigningRequest.objects.count() == 1


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_helpdesk_and_billing_cannot_start_a_link(client, request, persona, acme):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/signing/customers/{acme.tenant_id}/start/").status_code == 403
    assert client.post(f"/signing/customers/{acme.tenant_id}/start/", FORM).status_code == 403
    assert SigningRequest.objects.count() == 0


def test_a_reseller_is_refused_and_told_its_provider(client, nora, initech):
    client.force_login(nora)
    response = client.post(f"/signing/customers/{initech.tenant_id}/start/", FORM)
    assert response.status_code == 403
    assert "Fabrikam Distribution" in response.content.decode()
    assert SigningRequest.objects.count() == 0


def test_a_provider_starts_a_link_for_its_resellers_customer(client, frank, initech):
    client.force_login(frank)
    response = client.post(f"/signing/customers/{initech.tenant_id}/start/", FORM)
    assert response.status_code == 302
    assert SigningRequest.objects.get().partner == frank.partner


def test_another_partners_customer_is_not_found(client, sam, globex):
    client.force_login(sam)
    assert client.get(f"/signing/customers/{globex.tenant_id}/start/").status_code == 404


def test_another_partners_request_is_not_found(client, lisa, acme, start_signing):
    request, _path = start_signing(acme)
    client.force_login(lisa)
    assert client.post(f"/signing/requests/{request.public_id}/revoke/").status_code == 404
    assert client.post(f"/signing/requests/{request.public_id}/resend/").status_code == 404
    assert client.get(f"/signing/requests/{request.public_id}/").status_code == 404


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_read_only_roles_cannot_revoke_or_resend(client, request, persona, acme, start_signing):
    signing_request, _path = start_signing(acme)
    client.force_login(request.getfixturevalue(persona))
    assert client.post(f"/signing/requests/{signing_request.public_id}/revoke/").status_code == 403
    assert client.post(f"/signing/requests/{signing_request.public_id}/resend/").status_code == 403


def test_account_info_offers_the_link_to_writers_only(client, sam, hana, acme):
    client.force_login(sam)
    assert "Send a signing link" in client.get(f"/customers/{acme.tenant_id}/").content.decode()
    client.force_login(hana)
    page = client.get(f"/customers/{acme.tenant_id}/").content.decode()
    assert "Signing links" in page and "Send a signing link" not in page
