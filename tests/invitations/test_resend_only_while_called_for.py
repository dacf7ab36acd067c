"""Issue 16: Resend is neither offered nor allowed once what an invitation asked for is on
record (an expired one of a customer since attested, a revoked one after it accepted)."""

import datetime

import pytest
from django.utils import timezone

from customers.models import Relationship, RelationshipStatus
from customers.status import refresh_agreement_status
from invitations.models import Invitation, InvitationKind, InvitationStatus
from tests import factories as f


def resend_form(invitation) -> str:
    return f'action="/invitations/{invitation.public_id}/resend/"'


def expired(agent, customer, **kwargs):
    return f.InvitationFactory(
        partner=agent.partner,
        customer=customer,
        created_by=agent,
        expires_at=timezone.now() - datetime.timedelta(days=1),
        **kwargs,
    )


def test_an_expired_invitation_of_a_customer_since_attested_offers_no_resend(client, sam, acme):
    invitation = expired(sam, acme)
    f.attest(acme, sam)
    client.force_login(sam)
    for url in ("/invitations/", f"/customers/{acme.tenant_id}/"):
        assert resend_form(invitation) not in client.get(url).text


def test_the_server_refuses_that_resend(client, sam, acme):
    invitation = expired(sam, acme)
    f.attest(acme, sam)
    client.force_login(sam)
    response = client.post(f"/invitations/{invitation.public_id}/resend/")
    assert response.status_code == 409
    assert "no longer needs this invitation" in response.text
    assert Invitation.objects.filter(customer=acme).count() == 1


def test_a_revoked_invitation_after_the_customer_accepted_offers_no_resend(
    client, sam, acme, acme_admin
):
    invitation = f.InvitationFactory(
        partner=sam.partner, customer=acme, created_by=sam, status=InvitationStatus.REVOKED
    )
    f.accept_directly(acme, acme_admin, sam.partner)
    refresh_agreement_status(acme)
    client.force_login(sam)
    assert resend_form(invitation) not in client.get("/invitations/").text
    response = client.post(f"/invitations/{invitation.public_id}/resend/")
    assert response.status_code == 409
    assert Invitation.objects.filter(customer=acme).count() == 1


def test_an_expired_invitation_of_a_customer_still_without_a_record_is_resent(client, sam, acme):
    invitation = expired(sam, acme)
    client.force_login(sam)
    assert resend_form(invitation) in client.get("/invitations/").text
    response = client.post(f"/invitations/{invitation.public_id}/resend/")
    assert response.status_code == 302
    assert Invitation.objects.filter(customer=acme).count() == 2


def test_a_relationship_request_is_resent_while_the_relationship_is_pending(client, sam, acme):
    """The agreement may be on record (attested) while the reseller relationship waits: the
    request still asks for something."""
    Relationship.objects.filter(customer=acme).update(status=RelationshipStatus.PENDING)
    invitation = expired(sam, acme, kind=InvitationKind.RESELLER_RELATIONSHIP)
    f.attest(acme, sam)
    client.force_login(sam)
    assert resend_form(invitation) in client.get("/invitations/").text
    assert client.post(f"/invitations/{invitation.public_id}/resend/").status_code == 302


@pytest.mark.parametrize("persona", ["hana", "bill", "lisa", "nora"])
def test_others_cannot_resend(request, client, persona, sam, acme):
    invitation = expired(sam, acme)
    client.force_login(request.getfixturevalue(persona))
    assert client.post(f"/invitations/{invitation.public_id}/resend/").status_code in (403, 404)
    assert Invitation.objects.filter(customer=acme).count() == 1


def test_the_list_reads_where_each_customer_stands_in_its_one_query(
    client, sam, acme, django_assert_max_num_queries
):
    for _ in range(3):
        expired(sam, f.RelationshipFactory(partner=sam.partner).customer)
    client.force_login(sam)
    client.get("/invitations/")
    with django_assert_max_num_queries(12) as captured:
        client.get("/invitations/")
    few = len(captured)
    for _ in range(5):
        expired(sam, f.RelationshipFactory(partner=sam.partner).customer)
    with django_assert_max_num_queries(few):
        client.get("/invitations/")
