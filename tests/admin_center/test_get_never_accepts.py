"""R8: opening a link shows what is asked and by whom; a GET never accepts or consumes it."""

from agreements.models import Acceptance
from customers.models import Relationship, RelationshipStatus
from invitations.models import Invitation, InvitationKind, InvitationStatus


def test_an_anonymous_visitor_sees_who_asks_what_and_a_sign_in_button(client, acme_invitation):
    invitation, path, _token = acme_invitation
    response = client.get(path)
    assert response.status_code == 200
    assert "Contoso Partner" in response.text
    assert "asks Acme s.r.o. to accept the Microsoft Customer Agreement" in response.text
    assert f"/admin-center/login/?next={path}" in response.text


def test_an_anonymous_visit_changes_nothing(client, acme_invitation):
    invitation, path, _token = acme_invitation
    before = Invitation.objects.filter(pk=invitation.pk).values().get()
    for _ in range(3):
        client.get(path)
    assert Invitation.objects.filter(pk=invitation.pk).values().get() == before


def test_the_signed_in_customer_admin_opening_it_records_opened_and_accepts_nothing(
    client, acme_invitation, acme_admin
):
    invitation, path, _token = acme_invitation
    client.force_login(acme_admin)
    response = client.get(path)
    assert response.status_code == 200
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.OPENED
    assert invitation.opened_at is not None
    assert invitation.accepted_at is None
    assert not Acceptance.objects.exists()
    # Opening again keeps the first time it was opened.
    first = invitation.opened_at
    client.get(path)
    invitation.refresh_from_db()
    assert invitation.opened_at == first


def test_a_get_never_activates_a_relationship(client, invite, acme, acme_admin, contoso):
    Relationship.objects.filter(customer=acme).update(status=RelationshipStatus.PENDING)
    _invitation, path, _token = invite(acme, InvitationKind.RESELLER_RELATIONSHIP)
    client.force_login(acme_admin)
    client.get(path)
    assert Relationship.objects.get(customer=acme).status == RelationshipStatus.PENDING


def test_the_accept_address_answers_get_with_405(client, acme_invitation, acme_admin):
    _invitation, path, _token = acme_invitation
    client.force_login(acme_admin)
    assert client.get(path + "accept/").status_code == 405
    assert not Acceptance.objects.exists()


def test_accepting_needs_sign_in(client, acme_invitation):
    _invitation, path, _token = acme_invitation
    response = client.post(path + "accept/", {"accept_agreement": "on"})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin-center/login/")
    assert not Acceptance.objects.exists()


def test_the_checkbox_is_never_pre_ticked(client, acme_invitation, acme_admin):
    _invitation, path, _token = acme_invitation
    client.force_login(acme_admin)
    response = client.get(path)
    assert 'name="accept_agreement"' in response.text
    assert "checked" not in response.text
