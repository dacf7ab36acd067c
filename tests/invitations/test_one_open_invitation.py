"""R8: at most one open invitation per partner and customer, kept by the database."""

import pytest
from django.db import IntegrityError, transaction

from customers.models import Relationship, RelationshipStatus
from invitations import services
from invitations.models import Invitation, InvitationKind, InvitationStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

# Acme already works with Contoso, so the agreement is what these invitations ask for.
KIND = InvitationKind.EXISTING_CUSTOMER


def open_ones(partner, customer):
    return Invitation.objects.filter(
        partner=partner, customer=customer, status__in=["pending", "opened"]
    )


def test_the_database_refuses_a_second_open_invitation(sam, acme):
    f.InvitationFactory(partner=sam.partner, customer=acme, created_by=sam)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.InvitationFactory(partner=sam.partner, customer=acme, created_by=sam)


def test_closed_invitations_do_not_count(sam, acme):
    for status in ("accepted", "blocked", "revoked", "expired"):
        f.InvitationFactory(partner=sam.partner, customer=acme, created_by=sam, status=status)
    f.InvitationFactory(partner=sam.partner, customer=acme, created_by=sam)
    assert open_ones(sam.partner, acme).count() == 1


def test_another_partner_may_have_its_own_open_invitation(sam, lisa, acme):
    f.InvitationFactory(partner=sam.partner, customer=acme, created_by=sam)
    f.InvitationFactory(partner=lisa.partner, customer=acme, created_by=lisa)
    assert Invitation.objects.filter(customer=acme).count() == 2


def test_creating_beside_an_open_one_says_so_clearly(sam, acme):
    f.InvitationFactory(partner=sam.partner, customer=acme, created_by=sam)
    with pytest.raises(services.OpenInvitationExists) as caught:
        services.create_invitation(partner=sam.partner, customer=acme, kind=KIND, created_by=sam)
    assert caught.value.code == "open_invitation_exists"
    assert "Acme" in caught.value.messages[0]
    assert "already has an open invitation" in caught.value.messages[0]
    assert open_ones(sam.partner, acme).count() == 1


def test_issuing_again_revokes_the_old_one_and_points_it_to_the_new(sam, alice, acme):
    first, _link = services.issue_invitation(
        partner=sam.partner, customer=acme, kind=KIND, created_by=sam
    )
    second, _link = services.issue_invitation(
        partner=sam.partner, customer=acme, kind=KIND, created_by=alice
    )
    first.refresh_from_db()
    assert first.status == InvitationStatus.REVOKED
    assert first.replaced_by == second
    assert list(open_ones(sam.partner, acme)) == [second]


def test_an_expired_but_open_invitation_is_revoked_by_the_next_one(sam, acme):
    import datetime

    from django.utils import timezone

    stale = f.InvitationFactory(
        partner=sam.partner,
        customer=acme,
        created_by=sam,
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )
    fresh, _link = services.issue_invitation(
        partner=sam.partner, customer=acme, kind=KIND, created_by=sam
    )
    stale.refresh_from_db()
    assert stale.status == InvitationStatus.REVOKED
    assert list(open_ones(sam.partner, acme)) == [fresh]


def test_resend_keeps_one_open_invitation(sam, acme):
    old, _link = services.issue_invitation(
        partner=sam.partner, customer=acme, kind=KIND, created_by=sam
    )
    new, _link = services.resend_invitation(invitation=old, created_by=sam)
    old.refresh_from_db()
    assert (old.status, old.replaced_by) == (InvitationStatus.REVOKED, new)
    assert list(open_ones(sam.partner, acme)) == [new]


def test_a_blocked_invitation_is_not_resent_and_nothing_is_opened(sam, acme):
    blocked = f.InvitationFactory(
        partner=sam.partner, customer=acme, created_by=sam, status=InvitationStatus.BLOCKED
    )
    with pytest.raises(services.InvitationUnavailable) as caught:
        services.resend_invitation(invitation=blocked, created_by=sam)
    assert caught.value.code == "blocked"
    blocked.refresh_from_db()
    assert (blocked.status, blocked.replaced_by) == (InvitationStatus.BLOCKED, None)
    assert not open_ones(sam.partner, acme).exists()


def test_revoke_then_issue_works(sam, acme):
    old, _link = services.issue_invitation(
        partner=sam.partner, customer=acme, kind=KIND, created_by=sam
    )
    services.revoke_invitation(invitation=old)
    new, _link = services.issue_invitation(
        partner=sam.partner, customer=acme, kind=KIND, created_by=sam
    )
    assert list(open_ones(sam.partner, acme)) == [new]


def lost_race(monkeypatch, sam, acme):
    """A colleague's invitation lands between our look for open ones and our insert."""
    colleague = f.InvitationFactory(partner=sam.partner, customer=acme, created_by=sam)
    monkeypatch.setattr(services, "_revoke_open", lambda partner, customer: [])
    return colleague


def test_the_request_page_explains_a_lost_race(client, sam, acme, monkeypatch):
    # The reseller relationship is only asked of a customer that hasn't accepted it yet.
    Relationship.objects.filter(partner=sam.partner, customer=acme).update(
        status=RelationshipStatus.PENDING, activated_at=None
    )
    colleague = lost_race(monkeypatch, sam, acme)
    client.force_login(sam)
    response = client.post(
        "/invitations/request/", {"which": "existing", "existing-domain": acme.domain}
    )
    assert response.status_code == 409
    assert "already has an open invitation from your organisation" in response.text
    assert list(open_ones(sam.partner, acme)) == [colleague]


def test_the_account_info_invite_explains_a_lost_race(client, sam, acme, monkeypatch):
    colleague = lost_race(monkeypatch, sam, acme)
    client.force_login(sam)
    response = client.post(
        f"/invitations/customers/{acme.tenant_id}/",
        {"kind": InvitationKind.EXISTING_CUSTOMER},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/customers/{acme.tenant_id}/"
    assert "already has an open invitation from your organisation" in response.text
    assert list(open_ones(sam.partner, acme)) == [colleague]


def test_resend_explains_a_lost_race(client, sam, acme, monkeypatch):
    old = f.InvitationFactory(
        partner=sam.partner, customer=acme, created_by=sam, status=InvitationStatus.REVOKED
    )
    colleague = lost_race(monkeypatch, sam, acme)
    client.force_login(sam)
    response = client.post(f"/invitations/{old.public_id}/resend/")
    assert response.status_code == 409
    assert "already has an open invitation from your organisation" in response.text
    old.refresh_from_db()
    assert old.replaced_by is None
    assert list(open_ones(sam.partner, acme)) == [colleague]
