"""R8: a partner revokes an invitation and its link stops working."""

import pytest

from agreements.models import Acceptance
from customers.models import AgreementStatus, Relationship
from invitations.models import InvitationStatus
from tests import factories as f

CONFIRM = {"confirm": "yes"}


def test_sales_agent_can_revoke_an_open_invitation(client, sam, acme_invitation, acme):
    invitation, _path, _token = acme_invitation
    client.force_login(sam)
    response = client.post(f"/invitations/{invitation.public_id}/revoke/", CONFIRM)
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
    client.post(f"/invitations/{invitation.public_id}/revoke/", CONFIRM)
    client.force_login(acme_admin)
    page = client.get(path)
    assert page.status_code == 410
    assert "withdrawn" in page.text
    assert client.post(path + "accept/", {"accept_agreement": "on"}).status_code == 410
    assert not Acceptance.objects.exists()


def test_revoking_twice_explains_itself(client, sam, acme_invitation):
    invitation, _path, _token = acme_invitation
    client.force_login(sam)
    client.post(f"/invitations/{invitation.public_id}/revoke/", CONFIRM)
    response = client.post(f"/invitations/{invitation.public_id}/revoke/", CONFIRM, follow=True)
    assert "Only a pending or opened invitation can be revoked." in response.text


def test_revoke_asks_for_confirmation_first(client, sam, acme_invitation):
    """Issue 16: a GET, or a POST without the confirmation, only asks; nothing changes."""
    invitation, _path, _token = acme_invitation
    client.force_login(sam)
    page = client.get(f"/invitations/{invitation.public_id}/revoke/")
    assert page.status_code == 200
    assert "Revoke the invitation for Acme s.r.o.?" in page.text
    assert 'name="confirm" value="yes"' in page.text
    unconfirmed = client.post(f"/invitations/{invitation.public_id}/revoke/")
    assert unconfirmed.status_code == 200
    assert "Revoke the invitation for Acme s.r.o.?" in unconfirmed.text
    wrong = client.post(f"/invitations/{invitation.public_id}/revoke/", {"confirm": "maybe"})
    assert wrong.status_code == 200
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_the_lists_revoke_is_a_link_to_the_confirmation(client, sam, acme_invitation, acme):
    invitation, _path, _token = acme_invitation
    client.force_login(sam)
    listing = client.get("/invitations/").text
    assert f'href="/invitations/{invitation.public_id}/revoke/"' in listing
    panel = client.get(f"/customers/{acme.tenant_id}/").text
    assert f'href="/invitations/{invitation.public_id}/revoke/?back=customer"' in panel
    page = client.get(f"/invitations/{invitation.public_id}/revoke/?back=customer").text
    assert f'href="/customers/{acme.tenant_id}/"' in page  # Cancel goes back where it came from
    response = client.post(
        f"/invitations/{invitation.public_id}/revoke/", {"confirm": "yes", "back": "customer"}
    )
    assert response["Location"] == f"/customers/{acme.tenant_id}/"


def test_the_confirmation_of_a_revoked_invitation_offers_nothing(client, sam, acme_invitation):
    invitation, _path, _token = acme_invitation
    client.force_login(sam)
    client.post(f"/invitations/{invitation.public_id}/revoke/", CONFIRM)
    page = client.get(f"/invitations/{invitation.public_id}/revoke/")
    assert page.status_code == 409
    assert 'name="confirm"' not in page.text


def test_the_confirmation_page_keeps_to_its_query_budget(
    client, sam, acme_invitation, django_assert_max_num_queries
):
    invitation, _path, _token = acme_invitation
    client.force_login(sam)
    with django_assert_max_num_queries(8):
        assert client.get(f"/invitations/{invitation.public_id}/revoke/").status_code == 200


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_helpdesk_and_billing_cannot_revoke(request, client, persona, acme_invitation):
    invitation, _path, _token = acme_invitation
    client.force_login(request.getfixturevalue(persona))
    assert client.post(f"/invitations/{invitation.public_id}/revoke/", CONFIRM).status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_another_partner_cannot_revoke(client, lisa, acme_invitation):
    invitation, _path, _token = acme_invitation
    client.force_login(lisa)
    assert client.post(f"/invitations/{invitation.public_id}/revoke/", CONFIRM).status_code == 404


def test_an_unknown_invitation_is_not_found(client, sam, db):
    client.force_login(sam)
    response = client.post("/invitations/00000000-0000-0000-0000-000000000000/revoke/", CONFIRM)
    assert response.status_code == 404


def test_revoking_keeps_other_invitations(client, sam, acme_invitation, acme):
    other = f.InvitationFactory(partner=sam.partner, customer=f.CustomerFactory(), created_by=sam)
    invitation, _path, _token = acme_invitation
    client.force_login(sam)
    client.post(f"/invitations/{invitation.public_id}/revoke/", CONFIRM)
    other.refresh_from_db()
    assert other.status == InvitationStatus.PENDING
