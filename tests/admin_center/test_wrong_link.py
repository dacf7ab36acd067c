"""An invitation for another customer, or a made-up link, gets a clear page, never a crash."""

import pytest

from agreements.models import Acceptance
from invitations.models import Invitation, InvitationStatus
from tests import factories as f


@pytest.fixture
def globex_admin(globex):
    return f.CustomerAdminFactory(customer=globex, must_change_password=False)


def test_another_customers_admin_gets_a_clear_page(client, acme_invitation, globex_admin):
    invitation, path, _token = acme_invitation
    client.force_login(globex_admin)
    response = client.get(path)
    assert response.status_code == 403
    assert "sent to another organisation" in response.text
    # Nothing about the invited customer or its partner leaks.
    assert "Acme" not in response.text
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_another_customers_admin_cannot_accept(client, acme_invitation, globex_admin):
    invitation, path, _token = acme_invitation
    client.force_login(globex_admin)
    response = client.post(path + "accept/", {"accept_agreement": "on"})
    assert response.status_code == 403
    assert not Acceptance.objects.exists()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


@pytest.mark.parametrize("token", ["nonsense", "x" * 43, "y" * 5000, "a%20b!c"])
def test_an_unknown_link_gets_a_not_found_page(client, db, token):
    response = client.get(f"/admin-center/invitation/{token}/")
    assert response.status_code == 404
    assert "not valid" in response.text


def test_an_unknown_link_cannot_be_accepted(client, acme_admin):
    client.force_login(acme_admin)
    response = client.post("/admin-center/invitation/nonsense/accept/", {"accept_agreement": "on"})
    assert response.status_code == 404
    assert Invitation.objects.count() == 0
