"""Issue 16: a customer admin declines a partner's request (with an optional reason); the
link stops working and the partner sees the answer on Account info, in its invitations list
and on its dashboard."""

import pytest

from agreements.models import Acceptance
from customers.models import AgreementStatus, Relationship
from invitations.models import Invitation, InvitationStatus
from tests import factories as f


def decline_url(invitation) -> str:
    return f"/admin-center/requests/{invitation.public_id}/decline/"


def test_the_request_page_offers_decline(client, acme_admin, acme_invitation):
    invitation, path, _token = acme_invitation
    client.force_login(acme_admin)
    page = client.get(path).text
    assert f'href="{decline_url(invitation)}"' in page


def test_decline_asks_for_an_optional_reason_first(client, acme_admin, acme_invitation):
    invitation, _path, _token = acme_invitation
    client.force_login(acme_admin)
    page = client.get(decline_url(invitation))
    assert page.status_code == 200
    assert "Decline the request of Contoso Partner?" in page.text
    assert 'name="reason"' in page.text
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_declining_records_the_answer_and_kills_the_link(client, acme_admin, acme, acme_invitation):
    invitation, path, _token = acme_invitation
    client.force_login(acme_admin)
    response = client.post(decline_url(invitation), {"reason": "  We buy directly now.  "})
    assert response.status_code == 302
    assert response["Location"] == "/admin-center/"
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED
    assert invitation.declined_by == acme_admin
    assert invitation.declined_at is not None
    assert invitation.decline_reason == "We buy directly now."
    assert Relationship.objects.get(customer=acme).agreement_status == AgreementStatus.NONE
    dead = client.get(path)
    assert dead.status_code == 410
    assert "You declined this invitation" in dead.text
    assert client.post(path + "accept/", {"accept_agreement": "on"}).status_code == 410
    assert not Acceptance.objects.exists()


def test_a_reason_is_optional(client, acme_admin, acme_invitation):
    invitation, _path, _token = acme_invitation
    client.force_login(acme_admin)
    assert client.post(decline_url(invitation), {"reason": ""}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED
    assert invitation.decline_reason == ""


def test_a_too_long_reason_is_refused_and_nothing_changes(client, acme_admin, acme_invitation):
    invitation, _path, _token = acme_invitation
    client.force_login(acme_admin)
    response = client.post(decline_url(invitation), {"reason": "x" * 1001})
    assert response.status_code == 400
    assert "at most 1000 characters" in response.text
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_an_accepted_invitation_cannot_be_declined(client, acme_admin, acme_invitation):
    invitation, _path, _token = acme_invitation
    Invitation.objects.filter(pk=invitation.pk).update(status=InvitationStatus.ACCEPTED)
    client.force_login(acme_admin)
    assert client.post(decline_url(invitation), {"reason": "no"}).status_code == 410
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED


def test_declining_twice_explains_itself(client, acme_admin, acme_invitation):
    invitation, _path, _token = acme_invitation
    client.force_login(acme_admin)
    client.post(decline_url(invitation))
    again = client.post(decline_url(invitation))
    assert again.status_code == 410
    assert "You declined this invitation" in again.text


def test_another_customers_admin_cannot_decline(client, acme_invitation, globex):
    invitation, _path, _token = acme_invitation
    client.force_login(f.CustomerAdminFactory(customer=globex, must_change_password=False))
    assert client.get(decline_url(invitation)).status_code == 404
    assert client.post(decline_url(invitation)).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


@pytest.mark.parametrize("persona", ["alice", "sam", "hana", "bill", "operator"])
def test_agents_and_operators_cannot_decline(request, client, persona, acme_invitation):
    invitation, _path, _token = acme_invitation
    client.force_login(request.getfixturevalue(persona))
    assert client.post(decline_url(invitation)).status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_anonymous_is_sent_to_sign_in(client, acme_invitation):
    invitation, _path, _token = acme_invitation
    response = client.post(decline_url(invitation))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin-center/login/")


def test_the_partner_sees_the_decline_and_its_reason(
    client, sam, acme, acme_admin, acme_invitation
):
    invitation, _path, _token = acme_invitation
    client.force_login(acme_admin)
    client.post(decline_url(invitation), {"reason": "We buy <b>directly</b> now."})
    client.force_login(sam)
    for url in (f"/customers/{acme.tenant_id}/", "/invitations/", "/dashboard/"):
        page = client.get(url).text
        assert "Declined by the customer" in page or "Invitations declined by customers" in page
        assert "We buy &lt;b&gt;directly&lt;/b&gt; now." in page
    dashboard = client.get("/dashboard/").text
    # In the "Needs your action" queue, with the way forward.
    queue = dashboard.split("data-action-queue", 1)[1]
    assert "data-declined-invitations" in queue
    assert f'action="/invitations/{invitation.public_id}/resend/"' in queue


def test_the_dashboard_leaves_out_a_declined_invitation_resent_since(
    client, sam, acme_admin, acme_invitation
):
    invitation, _path, _token = acme_invitation
    client.force_login(acme_admin)
    client.post(decline_url(invitation), {"reason": "Not now."})
    client.force_login(sam)
    assert client.post(f"/invitations/{invitation.public_id}/resend/").status_code == 302
    assert "data-declined-invitations" not in client.get("/dashboard/").text


def test_read_only_agents_see_no_declined_section(client, hana, acme_admin, acme_invitation):
    invitation, _path, _token = acme_invitation
    client.force_login(acme_admin)
    client.post(decline_url(invitation), {"reason": "Not now."})
    client.force_login(hana)
    assert "data-declined-invitations" not in client.get("/dashboard/").text


def test_a_declined_d2_invitation_keeps_partner_must_attest(
    client, acme_admin, acme, contoso, litware, invite
):
    """D2 blocked the agreement when the link was opened: declining the relationship part
    doesn't lose that the partner must attest."""
    from invitations.models import InvitationKind

    Relationship.objects.filter(customer=acme).update(status="pending")
    order = f.OrderFactory(customer=acme, partner=litware)
    f.OrderLineFactory(order=order)
    invitation, path, _token = invite(acme, kind=InvitationKind.RESELLER_RELATIONSHIP)
    client.force_login(acme_admin)
    client.get(path)
    assert client.post(decline_url(invitation)).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED
    relationship = Relationship.objects.get(customer=acme, partner=contoso)
    assert relationship.agreement_status == AgreementStatus.BLOCKED
