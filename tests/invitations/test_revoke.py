"""R8: a partner revokes an invitation and its link stops working."""

import pytest

from agreements.models import Acceptance
from customers.models import AgreementStatus, Relationship
from invitations.models import InvitationStatus
from tests import factories as f


def test_sales_agent_can_revoke_an_open_invitation(client, sam, acme_invitation, acme):
    invitation, _path, _token = acme_invitation
    client.force_login(sam)
    response = client.post(f"/invitations/{invitation.public_id}/revoke/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED
    assert invitation.revoked_at is not None
    assert Relationship.objects.get(customer=acme).agreement_status == AgreementStatus.NONE


def test_a_revoked_link_gets_a_clear_page_and_accepts_nothing(
    client, sam, acme_invitation, acme_admin
):
    invitation, path, _token = acme_invitation
    client.force_login(sam)
    client.post(f"/invitations/{invitation.public_id}/revoke/")
    client.force_login(acme_admin)
    page = client.get(path)
    assert page.status_code == 410
    assert "withdrawn" in page.text
    assert client.post(path + "accept/", {"accept_agreement": "on"}).status_code == 410
    assert not Acceptance.objects.exists()


def test_revoking_twice_explains_itself(client, sam, acme_invitation):
    invitation, _path, _token = acme_invitation
    client.force_login(sam)
    client.post(f"/invitations/{invitation.public_id}/revoke/")
    response = client.post(f"/invitations/{invitation.public_id}/revoke/", follow=True)
    assert "Only a pending or opened invitation can be revoked." in response.text


def test_revoke_is_a_post(client, sam, acme_invitation):
    invitation, _path, _token = acme_invitation
    client.force_login(sam)
    assert client.get(f"/invitations/{invitation.public_id}/revoke/").status_code == 405


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_helpdesk_and_billing_cannot_revoke(request, client, persona, acme_invitation):
    invitation, _path, _token = acme_invitation
    client.force_login(request.getfixturevalue(persona))
    assert client.post(f"/invitations/{invitation.public_id}/revoke/").status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_another_partner_cannot_revoke(client, lisa, acme_invitation):
    invitation, _path, _token = acme_invitation
    client.force_login(lisa)
    assert client.post(f"/invitations/{invitation.public_id}/revoke/").status_code == 404


def test_an_unknown_invitation_is_not_found(client, sam, db):
    client.force_login(sam)
    response = client.post("/invitations/00000000-0000-0000-0000-000000000000/revoke/")
    assert response.status_code == 404


def test_revoking_keeps_other_invitations(client, sam, acme_invitation, acme):
    other = f.InvitationFactory(partner=sam.partner, customer=f.CustomerFactory(), created_by=sam)
    invitation, _path, _token = acme_invitation
    client.force_login(sam)
    client.post(f"/invitations/{invitation.public_id}/revoke/")
    other.refresh_from_db()
    assert other.status == InvitationStatus.PENDING
