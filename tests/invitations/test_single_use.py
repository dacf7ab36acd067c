"""R8: an invitation is accepted once; the link then answers with a clear page."""

from agreements.models import Acceptance
from invitations.models import InvitationStatus
from tests.admin_center.accepting import press_accept


def test_an_accepted_link_cannot_be_accepted_again(client, acme_invitation, acme_admin):
    invitation, path, _token = acme_invitation
    client.force_login(acme_admin)
    assert press_accept(client, path, {"accept_agreement": "on"}).status_code == 302
    again = press_accept(client, path, {"accept_agreement": "on"})
    assert again.status_code == 410
    assert "already been accepted" in again.text
    assert Acceptance.objects.filter(customer=invitation.customer).count() == 1


def test_opening_a_used_link_shows_a_clear_page(client, acme_invitation, acme_admin):
    invitation, path, _token = acme_invitation
    client.force_login(acme_admin)
    press_accept(client, path, {"accept_agreement": "on"})
    response = client.get(path)
    assert response.status_code == 410
    assert "already been accepted" in response.text
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
