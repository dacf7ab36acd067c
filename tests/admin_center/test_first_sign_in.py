"""The first sign-in forces a new password, and the invitation stays in hand throughout."""

import pytest

from invitations.models import InvitationStatus
from tests import factories as f
from tests.factories import PASSWORD

NEW_PASSWORD = "Zelena-Louka-42-Kvete"


@pytest.fixture
def fresh_admin(acme):
    return f.CustomerAdminFactory(customer=acme, must_change_password=True)


def test_signing_in_from_the_link_goes_through_the_password_change_back_to_the_invitation(
    client, acme_invitation, fresh_admin
):
    invitation, path, _token = acme_invitation
    landing = client.get(path)
    sign_in_url = f"/admin-center/login/?next={path}"
    assert sign_in_url in landing.text

    signed_in = client.post(
        sign_in_url, {"username": fresh_admin.email, "password": PASSWORD, "next": path}
    )
    assert signed_in["Location"] == path
    forced = client.get(path)
    assert forced.status_code == 302
    assert forced["Location"] == f"/admin-center/password/?next={path}"
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING

    changed = client.post(
        forced["Location"],
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
            "next": path,
        },
    )
    assert changed["Location"] == path
    page = client.get(path)
    assert page.status_code == 200
    assert 'name="accept_agreement"' in page.text
    fresh_admin.refresh_from_db()
    assert not fresh_admin.must_change_password
    assert fresh_admin.check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("short", "This password is too short."),
        ("12345678901234", "This password is entirely numeric."),
        ("password123", "This password is too common."),
    ],
)
def test_django_validators_refuse_a_weak_new_password(client, fresh_admin, new, message):
    client.force_login(fresh_admin)
    response = client.post(
        "/admin-center/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 400
    assert message in response.text
    fresh_admin.refresh_from_db()
    assert fresh_admin.must_change_password


def test_the_password_change_never_redirects_off_the_admin_center(client, fresh_admin):
    client.force_login(fresh_admin)
    response = client.post(
        "/admin-center/password/",
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
            "next": "https://evil.example/admin-center/",
        },
    )
    assert response["Location"] == "/admin-center/"


def test_an_agent_cannot_sign_in_to_the_admin_center_from_a_link(client, acme_invitation, sam):
    _invitation, path, _token = acme_invitation
    response = client.post(
        f"/admin-center/login/?next={path}", {"username": sam.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "This sign-in is for customer admins." in response.text
