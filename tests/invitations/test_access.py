"""A customer admin never reaches partner pages or another customer's data; agents never the
admin center."""

import pytest

from tests import factories as f

PARTNER_PAGES = [
    "/dashboard/",
    "/customers/",
    "/invitations/",
    "/invitations/request/",
]


@pytest.mark.parametrize("url", PARTNER_PAGES)
def test_a_customer_admin_never_reaches_partner_pages(client, acme_admin, url):
    client.force_login(acme_admin)
    assert client.get(url).status_code == 403


def test_a_customer_admin_never_reaches_its_own_account_info_on_the_partner_side(
    client, acme_admin, acme
):
    client.force_login(acme_admin)
    assert client.get(f"/customers/{acme.tenant_id}/").status_code == 403


def test_a_customer_admin_cannot_act_on_invitations(client, acme_admin, acme, sam):
    invitation = f.InvitationFactory(partner=sam.partner, customer=acme, created_by=sam)
    client.force_login(acme_admin)
    for action in ("compose", "resend", "revoke", "send"):
        method = client.get if action == "compose" else client.post
        assert method(f"/invitations/{invitation.public_id}/{action}/").status_code == 403
    assert (
        client.post(
            f"/invitations/customers/{acme.tenant_id}/", {"kind": "existing_customer"}
        ).status_code
        == 403
    )


ADMIN_CENTER_PAGES = [
    "/admin-center/",
    "/admin-center/partners/",
    "/admin-center/agreement/",
    "/admin-center/password/",
]


@pytest.mark.parametrize("persona", ["alice", "sam", "hana", "bill", "nora", "operator"])
@pytest.mark.parametrize("url", ADMIN_CENTER_PAGES)
def test_agents_never_reach_the_admin_center(request, client, persona, url):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url).status_code == 403


def test_an_agent_opening_an_invitation_link_gets_403(client, acme_invitation, sam):
    _invitation, path, _token = acme_invitation
    client.force_login(sam)
    assert client.get(path).status_code == 403


def test_the_agreement_download_is_the_customers_countrys(client, acme_admin, template_cz):
    client.force_login(acme_admin)
    response = client.get("/admin-center/agreement/")
    assert response.status_code == 200
    assert b"CZ cs-CZ" in b"".join(response.streaming_content)
    assert "attachment" in response["Content-Disposition"]


def test_without_a_document_the_download_explains(client, template_cz):
    german = f.CustomerAdminFactory(customer=f.CustomerFactory(country="DE"))
    client.force_login(german)
    response = client.get("/admin-center/agreement/")
    assert response.status_code == 404
    assert "No agreement is published yet." in response.text
