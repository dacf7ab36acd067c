"""R6 on the standing relationship link: a customer that already bought through a partner
(D1, D2) can't accept the agreement directly, so the page and the message after accepting
say the partner must attest instead of promising an acceptance page."""

import html

import pytest

from agreements.models import Acceptance
from customers.models import AgreementStatus, Relationship, RelationshipStatus
from invitations.models import InvitationKind, InvitationStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

WILL_ASK = "will ask you to accept the Microsoft Customer Agreement next"
MUST_ATTEST = (
    "Your organisation has already bought Microsoft cloud products through a partner, so it "
    "can't accept the Microsoft Customer Agreement here. Litware Cloud must attest that you "
    "accepted it: contact Litware Cloud."
)


def text(response) -> str:
    """The page as read: the message framework escapes the apostrophe, the template doesn't."""
    return html.unescape(response.content.decode())


def url(partner) -> str:
    return f"/admin-center/relationship/{partner.partner_id}/"


def accept_url(partner) -> str:
    return f"{url(partner)}accept/"


@pytest.fixture
def bought_through_contoso(acme, contoso, order_for):
    """D2 for Litware's link: Acme's earlier purchase went through another partner."""
    return order_for(acme, contoso)


def test_a_blocked_customer_is_told_the_partner_must_attest(
    client, acme_admin, litware, bought_through_contoso
):
    client.force_login(acme_admin)
    response = client.get(url(litware))
    assert response.status_code == 200
    assert MUST_ATTEST in text(response)
    assert WILL_ASK not in text(response)
    # The relationship itself may still be accepted (D2).
    assert 'name="accept_relationship"' in text(response)


def test_after_accepting_a_blocked_customer_is_told_the_partner_must_attest(
    client, acme_admin, acme, litware, bought_through_contoso
):
    client.force_login(acme_admin)
    response = client.post(accept_url(litware), {"accept_relationship": "on"}, follow=True)
    # The partner's page, which says how to reach it.
    assert response.redirect_chain[-1][0] == f"/admin-center/partners/{litware.partner_id}/"
    assert "You accepted Litware Cloud as your reseller." in text(response)
    assert MUST_ATTEST in text(response)
    assert WILL_ASK not in text(response)
    assert Relationship.objects.get(partner=litware, customer=acme).status == (
        RelationshipStatus.ACTIVE
    )
    assert not Acceptance.objects.exists()


def test_a_customer_that_never_bought_is_told_the_partner_will_ask(client, acme_admin, litware):
    client.force_login(acme_admin)
    page = client.get(url(litware))
    assert WILL_ASK in text(page)
    assert "must attest that you accepted it:" not in text(page)
    accepted = client.post(accept_url(litware), {"accept_relationship": "on"}, follow=True)
    assert "Litware Cloud will ask you to accept the Microsoft Customer Agreement next" in (
        text(accepted)
    )
    assert "must attest that you accepted it:" not in text(accepted)


def test_auto_renewals_alone_do_not_block(client, acme_admin, acme, contoso, litware, order_for):
    order_for(acme, contoso, auto_renewal=True)
    client.force_login(acme_admin)
    response = client.post(accept_url(litware), {"accept_relationship": "on"}, follow=True)
    assert WILL_ASK in text(response)
    assert "must attest that you accepted it:" not in text(response)


def test_a_purchase_through_the_asking_partner_blocks_too(
    client, acme_admin, acme, litware, order_for
):
    """D1: the partner's own earlier sale; the relationship is pending again."""
    f.RelationshipFactory(
        partner=litware, customer=acme, status=RelationshipStatus.PENDING, activated_at=None
    )
    order_for(acme, litware)
    client.force_login(acme_admin)
    assert MUST_ATTEST in client.get(url(litware)).text
    response = client.post(accept_url(litware), {"accept_relationship": "on"}, follow=True)
    assert MUST_ATTEST in text(response)
    assert WILL_ASK not in text(response)


def test_the_block_wins_over_pointing_to_an_open_invitation(
    client, acme_admin, acme, litware, lisa, bought_through_contoso
):
    f.InvitationFactory(partner=litware, customer=acme, created_by=lisa)
    client.force_login(acme_admin)
    response = client.get(url(litware))
    assert MUST_ATTEST in text(response)
    assert "has also sent you an invitation" not in text(response)


def test_an_attestation_on_record_is_said_instead(
    client, acme_admin, acme, litware, lisa, bought_through_contoso
):
    f.RelationshipFactory(
        partner=litware, customer=acme, status=RelationshipStatus.PENDING, activated_at=None
    )
    f.attest(acme, lisa)
    client.force_login(acme_admin)
    page = client.get(url(litware))
    assert "already on record with Litware" in text(page)
    assert MUST_ATTEST not in text(page)
    accepted = client.post(accept_url(litware), {"accept_relationship": "on"}, follow=True)
    assert MUST_ATTEST not in text(accepted)
    assert WILL_ASK not in text(accepted)


def test_accepting_a_d2_invitation_says_the_partner_must_attest(
    client, acme_admin, acme, contoso, litware, invite, order_for
):
    Relationship.objects.filter(customer=acme, partner=contoso).update(
        status=RelationshipStatus.PENDING, activated_at=None
    )
    f.RelationshipFactory(partner=litware, customer=acme)
    order_for(acme, litware)
    invitation, path, _token = invite(acme, InvitationKind.RESELLER_RELATIONSHIP)
    client.force_login(acme_admin)
    response = client.post(path + "accept/", {"accept_relationship": "on"}, follow=True)
    assert "You accepted Contoso" in text(response)
    assert "contact Contoso" in text(response)
    assert "must attest that you accepted it:" in text(response)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.BLOCKED
    assert Relationship.objects.get(partner=contoso, customer=acme).agreement_status == (
        AgreementStatus.BLOCKED
    )


def test_an_agent_cannot_open_the_customer_side_of_the_link(client, sam, litware):
    client.force_login(sam)
    assert client.get(url(litware)).status_code == 403
    assert client.post(accept_url(litware), {"accept_relationship": "on"}).status_code == 403
