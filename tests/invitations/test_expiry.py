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
    from customers.status import refresh_agreement_status

    invitation, _path, _token = acme_invitation
    assert Relationship.objects.get(customer=acme).agreement_status == AgreementStatus.INVITED
    expire(invitation)
    refresh_agreement_status(acme)
    assert Relationship.objects.get(customer=acme).agreement_status == AgreementStatus.NONE


def test_a_lapsed_invitation_leaves_the_customers_list_without_any_job_running(
    client, sam, acme_invitation, acme
):
    """The denormalised status keeps the expiry beside it, so nothing has to rewrite the row."""
    from django.urls import reverse

    invitation, _path, _token = acme_invitation
    url = reverse("customers:list")
    client.force_login(sam)
    assert "Acme s.r.o." in client.get(url, {"status": AgreementStatus.INVITED}).text
    expire(invitation)
    Relationship.objects.filter(customer=acme).update(
        invited_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert Relationship.objects.get(customer=acme).agreement_status == AgreementStatus.INVITED
    assert "Acme s.r.o." not in client.get(url, {"status": AgreementStatus.INVITED}).text
    response = client.get(url, {"status": AgreementStatus.NONE})
    assert "Acme s.r.o." in response.text
    assert "Not on record" in response.text


def test_an_invited_relationship_knows_until_when(acme_invitation, acme):
    invitation, _path, _token = acme_invitation
    relationship = Relationship.objects.get(customer=acme)
    assert relationship.invited_until == invitation.expires_at
    assert relationship.effective_agreement_status == AgreementStatus.INVITED
