"""Each queue row offers the action the agent's role allows, and the action's view refuses
the roles that may not (hiding the button is never the check)."""

import pytest
from django.urls import reverse

from tests.portfolio.conftest import block, invite_customer, lapse

pytestmark = pytest.mark.django_db


@pytest.fixture
def blocked_and_lapsed(contoso, sam, make_customer):
    blocked = make_customer(contoso, "Blocked Ltd")
    block(blocked, sam)
    lapsed = make_customer(contoso, "Lapsed Ltd")
    invitation = invite_customer(lapsed, sam)
    lapse(lapsed, contoso)
    return blocked, invitation


@pytest.mark.parametrize("persona", ["alice", "sam"])
def test_admin_and_sales_agents_get_attest_and_resend_buttons(
    client, request, persona, blocked_and_lapsed
):
    blocked, invitation = blocked_and_lapsed
    client.force_login(request.getfixturevalue(persona))
    html = client.get(reverse("dashboard")).text
    assert reverse("customers:attest", args=[blocked.tenant_id]) in html
    assert reverse("invitations:resend", args=[invitation.public_id]) in html


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_helpdesk_and_billing_see_the_queue_but_get_no_action(
    client, request, persona, blocked_and_lapsed
):
    blocked, invitation = blocked_and_lapsed
    client.force_login(request.getfixturevalue(persona))
    html = client.get(reverse("dashboard")).text
    assert "Blocked Ltd" in html and "Lapsed Ltd" in html
    assert 'data-action="' not in html
    assert client.get(reverse("customers:attest", args=[blocked.tenant_id])).status_code == 403
    assert client.post(reverse("customers:attest", args=[blocked.tenant_id])).status_code == 403
    resend = client.post(reverse("invitations:resend", args=[invitation.public_id]))
    assert resend.status_code == 403


def test_a_sales_agent_resends_a_lapsed_invitation_from_the_queue(client, sam, blocked_and_lapsed):
    _blocked, invitation = blocked_and_lapsed
    client.force_login(sam)
    response = client.post(reverse("invitations:resend", args=[invitation.public_id]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.replaced_by_id is not None


def test_a_reseller_is_offered_to_ask_its_provider_not_to_attest(
    client, nora, northwind, make_customer
):
    blocked = make_customer(northwind, "Resold Blocked")
    block(blocked, nora)
    client.force_login(nora)
    html = client.get(reverse("dashboard")).text
    assert 'data-action="request-attestation"' in html
    assert "Ask Fabrikam Distribution to attest" in html
    assert 'data-action="attest"' not in html
    assert client.post(reverse("customers:attest", args=[blocked.tenant_id])).status_code == 403


def test_a_provider_attests_for_its_resellers_blocked_customer(
    client, frank, nora, northwind, make_customer
):
    blocked = make_customer(northwind, "Resold Blocked")
    block(blocked, nora)
    client.force_login(frank)
    html = client.get(reverse("dashboard")).text
    attest = reverse("customers:attest", args=[blocked.tenant_id])
    assert attest in html
    assert client.get(attest).status_code == 200
