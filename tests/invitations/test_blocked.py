"""R6, scenarios D1 and D2: earlier purchases stop a direct acceptance; the partner must attest."""

import pytest

from agreements.models import Acceptance
from customers.models import AgreementStatus, Relationship, RelationshipOrigin, RelationshipStatus
from invitations.models import InvitationKind, InvitationStatus
from invitations.services import acceptance_block
from tests import factories as f
from tests.admin_center.accepting import press_accept

CONTACT_YOUR_PARTNER = (
    "Contact your partner to attest acceptance of the Microsoft Customer Agreement"
)


@pytest.fixture
def d2(acme, contoso, litware, invite, order_for):
    """Acme bought through Litware; Contoso now asks for a reseller relationship."""
    Relationship.objects.filter(customer=acme, partner=contoso).update(
        status=RelationshipStatus.PENDING, activated_at=None
    )
    f.RelationshipFactory(partner=litware, customer=acme)
    order_for(acme, litware)
    return invite(acme, InvitationKind.RESELLER_RELATIONSHIP)


def test_d1_an_earlier_purchase_through_the_inviting_partner_blocks(
    client, acme_invitation, acme_admin, acme, contoso, order_for
):
    invitation, path, _token = acme_invitation
    order_for(acme, contoso)
    client.force_login(acme_admin)
    response = client.get(path)
    assert response.status_code == 200
    assert CONTACT_YOUR_PARTNER in response.text
    assert 'type="checkbox"' not in response.text
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.BLOCKED
    assert invitation.blocked_at is not None
    relationship = Relationship.objects.get(customer=acme, partner=contoso)
    assert relationship.agreement_status == AgreementStatus.BLOCKED


def test_d1_a_forged_accept_is_refused_and_records_nothing(
    client, acme_invitation, acme_admin, acme, contoso, order_for
):
    invitation, path, _token = acme_invitation
    order_for(acme, contoso)
    client.force_login(acme_admin)
    response = press_accept(client, path, {"accept_agreement": "on"})
    assert response.status_code == 409
    assert CONTACT_YOUR_PARTNER in response.text
    assert not Acceptance.objects.exists()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.BLOCKED


def test_d2_the_customer_sees_the_message_and_may_accept_the_relationship_only(
    client, d2, acme_admin
):
    _invitation, path, _token = d2
    client.force_login(acme_admin)
    response = client.get(path)
    assert CONTACT_YOUR_PARTNER in response.text
    assert 'name="accept_relationship"' in response.text
    assert 'name="accept_agreement"' not in response.text


def test_d2_accepting_the_relationship_activates_it_without_any_agreement_evidence(
    client, d2, acme_admin, acme, contoso
):
    invitation, path, _token = d2
    client.force_login(acme_admin)
    response = press_accept(client, path, {"accept_relationship": "on", "accept_agreement": "on"})
    assert response.status_code == 302
    relationship = Relationship.objects.get(customer=acme, partner=contoso)
    assert relationship.status == RelationshipStatus.ACTIVE
    assert relationship.origin == RelationshipOrigin.ACCEPTED_INVITATION
    assert relationship.agreement_status == AgreementStatus.BLOCKED
    assert not Acceptance.objects.exists()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.BLOCKED
    assert invitation.accepted_by == acme_admin
    # Used: the link now answers with a clear page.
    assert client.get(path).status_code == 410


def test_d2_the_relationship_box_must_be_ticked(client, d2, acme_admin, acme, contoso):
    _invitation, path, _token = d2
    client.force_login(acme_admin)
    response = press_accept(client, path, {})
    assert response.status_code == 400
    assert Relationship.objects.get(customer=acme, partner=contoso).status == (
        RelationshipStatus.PENDING
    )


def test_d2_asking_for_the_agreement_alone_is_simply_blocked(
    client, invite, acme, litware, acme_admin, order_for
):
    f.RelationshipFactory(partner=litware, customer=acme)
    order_for(acme, litware)
    invitation, path, _token = invite(acme)
    client.force_login(acme_admin)
    response = client.get(path)
    assert CONTACT_YOUR_PARTNER in response.text
    assert 'type="checkbox"' not in response.text
    assert acceptance_block(invitation).blocked


def test_auto_renewals_do_not_block(client, acme_invitation, acme_admin, acme, contoso, order_for):
    invitation, path, _token = acme_invitation
    order_for(acme, contoso, auto_renewal=True)
    assert not acceptance_block(invitation).blocked
    client.force_login(acme_admin)
    response = client.get(path)
    assert CONTACT_YOUR_PARTNER not in response.text
    assert press_accept(client, path, {"accept_agreement": "on"}).status_code == 302
    assert Acceptance.objects.filter(customer=acme).count() == 1


def test_an_order_placed_after_the_link_was_opened_still_blocks_the_post(
    client, acme_invitation, acme_admin, acme, contoso, order_for
):
    _invitation, path, _token = acme_invitation
    client.force_login(acme_admin)
    client.get(path)
    order_for(acme, contoso)
    assert press_accept(client, path, {"accept_agreement": "on"}).status_code == 409
    assert not Acceptance.objects.exists()


def test_the_partner_page_says_the_partner_must_attest_with_a_button(
    client, acme_invitation, acme_admin, acme, contoso, order_for, sam
):
    _invitation, path, _token = acme_invitation
    order_for(acme, contoso)
    client.force_login(acme_admin)
    client.get(path)
    client.force_login(sam)
    page = client.get(f"/customers/{acme.tenant_id}/")
    assert "The partner must attest." in page.text
    assert f'href="/customers/{acme.tenant_id}/agreement/update/"' in page.text
    assert "Blocked — partner must attest" in page.text


def test_helpdesk_sees_the_block_but_no_attest_button(
    client, acme_invitation, acme_admin, acme, contoso, order_for, hana
):
    _invitation, path, _token = acme_invitation
    order_for(acme, contoso)
    client.force_login(acme_admin)
    client.get(path)
    client.force_login(hana)
    page = client.get(f"/customers/{acme.tenant_id}/")
    assert "The partner must attest." in page.text
    assert f'href="/customers/{acme.tenant_id}/agreement/update/"' not in page.text


def test_attesting_after_a_block_clears_it(
    client, acme_invitation, acme_admin, acme, contoso, order_for, sam
):
    _invitation, path, _token = acme_invitation
    order_for(acme, contoso)
    client.force_login(acme_admin)
    client.get(path)
    f.attest(acme, sam)
    assert Relationship.objects.get(customer=acme, partner=contoso).agreement_status == (
        AgreementStatus.ATTESTED
    )


def test_d2_asking_again_for_the_relationship_keeps_partner_must_attest(
    client, d2, acme_admin, acme, contoso, sam
):
    """A new relationship request may go out (the customer can still accept that part), but the
    agreement stays 'partner must attest' on the partner's side meanwhile."""
    from invitations import services

    _invitation, path, _token = d2
    client.force_login(acme_admin)
    client.get(path)  # opening it finds the block
    relationship = Relationship.objects.get(customer=acme, partner=contoso)
    assert relationship.agreement_status == AgreementStatus.BLOCKED
    services.issue_invitation(
        partner=contoso,
        customer=acme,
        kind=InvitationKind.RESELLER_RELATIONSHIP,
        created_by=sam,
        blocked_ok=True,  # the agent saw the warning (test_blocked_warning)
    )
    relationship.refresh_from_db()
    assert relationship.agreement_status == AgreementStatus.BLOCKED
