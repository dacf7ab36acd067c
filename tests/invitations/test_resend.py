"""R8: Resend issues a new token in a new invitation and kills the old one."""

import pytest

from invitations.models import Invitation, InvitationStatus


def resend(client, invitation):
    return client.post(f"/invitations/{invitation.public_id}/resend/")


def test_resend_issues_a_new_link_and_kills_the_old_one(client, sam, acme_invitation, acme_admin):
    old, old_path, _token = acme_invitation
    client.force_login(sam)
    response = resend(client, old)
    new = Invitation.objects.exclude(pk=old.pk).get()
    assert response["Location"] == f"/invitations/{new.public_id}/compose/"
    page = client.get(response["Location"])
    body = page.text.split('id="id_body">', 1)[1]
    new_path = body.split("http://127.0.0.1:8000", 2)[1].split("\n", 1)[0].strip()
    old.refresh_from_db()
    assert old.status == InvitationStatus.REVOKED
    assert old.replaced_by == new
    assert new.token_hash != old.token_hash
    assert new.kind == old.kind

    client.force_login(acme_admin)
    dead = client.get(old_path)
    assert dead.status_code == 410
    assert "newer invitation" in dead.text
    assert client.get(new_path).status_code == 200


def test_a_blocked_invitation_is_not_resent_and_nothing_is_created(
    client, sam, acme_invitation, acme_admin
):
    old, old_path, _token = acme_invitation
    Invitation.objects.filter(pk=old.pk).update(status=InvitationStatus.BLOCKED)
    client.force_login(sam)
    response = resend(client, old)
    assert response.status_code == 409
    assert "has bought before" in response.text
    assert "a new link would be blocked too" in response.text
    assert Invitation.objects.count() == 1
    old.refresh_from_db()
    assert old.status == InvitationStatus.BLOCKED
    assert old.replaced_by is None


def test_an_accepted_invitation_is_not_resent(client, sam, acme_invitation):
    old, _path, _token = acme_invitation
    Invitation.objects.filter(pk=old.pk).update(status=InvitationStatus.ACCEPTED)
    client.force_login(sam)
    response = client.post(f"/invitations/{old.public_id}/resend/", follow=True)
    assert "already been accepted" in response.text
    assert Invitation.objects.count() == 1


def test_a_replaced_invitation_is_not_resent_twice(client, sam, acme_invitation):
    old, _path, _token = acme_invitation
    client.force_login(sam)
    resend(client, old)
    response = client.post(f"/invitations/{old.public_id}/resend/", follow=True)
    assert "already replaces this one" in response.text
    assert Invitation.objects.count() == 2


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_helpdesk_and_billing_cannot_resend(request, client, persona, acme_invitation):
    old, _path, _token = acme_invitation
    client.force_login(request.getfixturevalue(persona))
    assert resend(client, old).status_code == 403
    assert Invitation.objects.count() == 1


def test_another_partner_cannot_resend(client, lisa, acme_invitation):
    old, _path, _token = acme_invitation
    client.force_login(lisa)
    assert resend(client, old).status_code == 404
    assert Invitation.objects.count() == 1
