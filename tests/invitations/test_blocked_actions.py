"""D1/D2: a blocked invitation offers no Resend (the new link would be blocked too); it points
the agent to attest instead, or names who attests."""

import pytest

from customers.status import refresh_agreement_status
from invitations.models import InvitationStatus
from tests import factories as f


def blocked_invitation(agent, customer):
    return f.InvitationFactory(
        partner=agent.partner, customer=customer, created_by=agent, status=InvitationStatus.BLOCKED
    )


def resend_form(invitation) -> str:
    return f'action="/invitations/{invitation.public_id}/resend/"'


def test_the_list_offers_attestation_instead_of_resend(client, sam, acme):
    invitation = blocked_invitation(sam, acme)
    client.force_login(sam)
    page = client.get("/invitations/").text
    assert resend_form(invitation) not in page
    assert f'href="/customers/{acme.tenant_id}/agreement/update/"' in page
    assert "Attest acceptance" in page


def test_an_open_invitation_still_offers_resend(client, sam, acme):
    invitation = f.InvitationFactory(partner=sam.partner, customer=acme, created_by=sam)
    client.force_login(sam)
    page = client.get("/invitations/").text
    assert resend_form(invitation) in page
    assert "/agreement/update/" not in page


def test_a_reseller_is_told_its_provider_attests(client, nora, initech):
    invitation = blocked_invitation(nora, initech)
    client.force_login(nora)
    page = client.get("/invitations/").text
    assert resend_form(invitation) not in page
    assert "/agreement/update/" not in page
    assert "Your indirect provider, Fabrikam Distribution, attests for your customers." in page


def test_the_account_info_panel_offers_attestation_instead_of_resend(client, sam, acme):
    invitation = blocked_invitation(sam, acme)
    refresh_agreement_status(acme)
    client.force_login(sam)
    page = client.get(f"/customers/{acme.tenant_id}/").text
    assert resend_form(invitation) not in page
    # In the agreement section's notice (issue 16), and not again among the invitations.
    agreement = page.split('id="agreement"', 1)[1].split("</section>", 1)[0]
    assert "data-partner-must-attest" in agreement
    assert agreement.count(f'href="/customers/{acme.tenant_id}/agreement/update/"') >= 1
    panel = page.split('id="invitations"', 1)[1].split("</section>", 1)[0]
    assert "/agreement/update/" not in panel
    assert "The partner must attest." not in panel


def test_the_compose_page_of_a_blocked_invitation_explains_and_points_to_attest(client, sam, acme):
    invitation = blocked_invitation(sam, acme)
    client.force_login(sam)
    page = client.get(f"/invitations/{invitation.public_id}/compose/").text
    assert "a new link would be blocked too" in page
    assert "Resend the invitation to get a new link" not in page
    assert resend_form(invitation) not in page
    assert f'href="/customers/{acme.tenant_id}/agreement/update/"' in page


@pytest.mark.parametrize("persona", ["sam", "alice"])
def test_the_server_refuses_to_resend_a_blocked_invitation(request, client, persona, acme, sam):
    invitation = blocked_invitation(sam, acme)
    client.force_login(request.getfixturevalue(persona))
    response = client.post(f"/invitations/{invitation.public_id}/resend/")
    assert response.status_code == 409
    assert "Acme s.r.o. has bought before" in response.text
    assert acme.invitations.count() == 1
    invitation.refresh_from_db()
    assert invitation.replaced_by is None


def test_a_customer_found_blocked_is_not_invited_again(client, sam, acme):
    """Re-inviting would only flip the customer from 'partner must attest' back to 'invited'
    until it opened the link and was blocked again; the server refuses it."""
    from customers.models import AgreementStatus, Relationship
    from invitations.models import Invitation

    order = f.OrderFactory(customer=acme, partner=sam.partner)
    f.OrderLineFactory(order=order)
    blocked_invitation(sam, acme)
    refresh_agreement_status(acme)
    client.force_login(sam)
    response = client.post(
        f"/invitations/customers/{acme.tenant_id}/", {"kind": "existing_customer"}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).text
    assert "has bought before" in page
    assert Invitation.objects.filter(customer=acme).count() == 1
    assert Relationship.objects.get(customer=acme).agreement_status == AgreementStatus.BLOCKED


def test_resend_never_asks_an_active_customer_for_the_relationship(sam, acme):
    """The customer accepted through the standing link meanwhile: the old request's resend
    is refused like a new request would be."""
    from invitations import services
    from invitations.models import InvitationKind

    invitation = f.InvitationFactory(
        partner=sam.partner,
        customer=acme,
        created_by=sam,
        kind=InvitationKind.RESELLER_RELATIONSHIP,
    )
    with pytest.raises(services.RelationshipAlreadyActive):
        services.resend_invitation(invitation=invitation, created_by=sam)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING
