"""Issue 16: "contact your partner" names whom to contact: the partner's detail page and the
blocked request list the agent who sent the request and the partner's admin agents."""

import pytest

from portal.models import Role
from tests import factories as f


def test_the_partner_detail_lists_its_contacts(client, acme_admin, acme, contoso, sam, alice):
    f.InvitationFactory(partner=contoso, customer=acme, created_by=sam)
    gone = f.AgentFactory(partner=contoso, role=Role.ADMIN_AGENT, is_active=False)
    client.force_login(acme_admin)
    page = client.get(f"/admin-center/partners/{contoso.partner_id}/").text
    contacts = page.split("data-partner-contacts", 1)[1].split("</ul>", 1)[0]
    # The agent who sent the request first, then the admin agents; never a deactivated one.
    assert contacts.index(sam.email) < contacts.index(alice.email)
    assert f'href="mailto:{alice.email}"' in contacts
    assert gone.email not in contacts


def test_a_partner_without_agents_says_so(client, acme_admin, contoso):
    client.force_login(acme_admin)
    page = client.get(f"/admin-center/partners/{contoso.partner_id}/").text
    assert "This partner has not named a contact yet." in page


def test_the_blocked_request_names_whom_to_contact(
    client, acme_admin, acme, contoso, alice, invite, order_for
):
    order_for(acme, contoso)
    _invitation, path, _token = invite(acme)
    client.force_login(acme_admin)
    page = client.get(path).text
    assert "Contact your partner to attest" in page
    assert f'href="mailto:{alice.email}"' in page


def test_another_partners_contacts_are_not_shown(client, acme_admin, litware, lisa):
    client.force_login(acme_admin)
    assert client.get(f"/admin-center/partners/{litware.partner_id}/").status_code == 404


@pytest.mark.parametrize("persona", ["alice", "hana"])
def test_agents_cannot_read_the_page(request, client, persona, contoso):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/admin-center/partners/{contoso.partner_id}/").status_code == 403


def test_the_detail_page_keeps_its_query_budget(
    client, acme_admin, acme, contoso, django_assert_max_num_queries
):
    for _ in range(5):
        f.AgentFactory(partner=contoso, role=Role.ADMIN_AGENT)
        f.InvitationFactory(partner=contoso, customer=acme, status="revoked")
    client.force_login(acme_admin)
    with django_assert_max_num_queries(10):
        client.get(f"/admin-center/partners/{contoso.partner_id}/")
