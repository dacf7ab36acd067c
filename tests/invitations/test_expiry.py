"""R8: an invitation expires; an expired link gets its own page and can't be accepted."""

import datetime

from django.utils import timezone

from agreements.models import Acceptance
from customers.models import AgreementStatus, Relationship
from invitations.models import Invitation, InvitationStatus


def expire(invitation):
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )


def test_an_expired_invitation_shows_as_expired(acme_invitation):
    invitation, _path, _token = acme_invitation
    expire(invitation)
    invitation.refresh_from_db()
    assert invitation.effective_status == InvitationStatus.EXPIRED


def test_an_expired_link_gets_a_clear_page(client, acme_invitation, acme_admin):
    invitation, path, _token = acme_invitation
    expire(invitation)
    client.force_login(acme_admin)
    response = client.get(path)
    assert response.status_code == 410
    assert "expired" in response.text


def test_an_expired_invitation_cannot_be_accepted(client, acme_invitation, acme_admin):
    invitation, path, _token = acme_invitation
    expire(invitation)
    client.force_login(acme_admin)
    response = client.post(path + "accept/", {"accept_agreement": "on"})
    assert response.status_code == 410
    assert not Acceptance.objects.filter(customer=invitation.customer).exists()


def test_an_expired_invitation_no_longer_counts_as_invited(acme_invitation, acme):
    from agreements.services import refresh_agreement_status

    invitation, _path, _token = acme_invitation
    assert Relationship.objects.get(customer=acme).agreement_status == AgreementStatus.INVITED
    expire(invitation)
    refresh_agreement_status(acme)
    assert Relationship.objects.get(customer=acme).agreement_status == AgreementStatus.NONE
