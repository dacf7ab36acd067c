"""Issue 16: "contact your partner" names whom to contact: the partner's detail page and the
blocked request show the contact details the partner named (email, phone, website), else the
agent who sent the request and the partner's admin agents; every "contact your partner" links
to the partner's page where the customer has one."""

import pytest

from customers.models import Relationship, RelationshipStatus
from invitations.models import InvitationKind
from portal.models import Role
from portal.profile import update_contact_details
from tests import factories as f


@pytest.fixture
def named(contoso, alice):
    """Contoso named its contact details on its Partner profile."""
    update_contact_details(
        partner=contoso,
        by=alice,
        values={
            "contact_email": "support@contoso.example",
            "contact_phone": "+420601123456",
            "website": "https://www.contoso.example/",
        },
    )
    return contoso


def section(page: str) -> str:
    return page.split('id="contacts-heading"', 1)[1].split("</section>", 1)[0]


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


def test_the_partner_detail_shows_the_contact_details_the_partner_named(
    client, acme_admin, acme, named, sam, alice
):
    f.InvitationFactory(partner=named, customer=acme, created_by=sam)
    client.force_login(acme_admin)
    contacts = section(client.get(f"/admin-center/partners/{named.partner_id}/").text)
    assert 'href="mailto:support@contoso.example"' in contacts
    assert 'href="tel:+420601123456">+420 601 123 456</a>' in contacts
    assert 'href="https://www.contoso.example/" rel="noopener noreferrer"' in contacts
    # Named details win over the agents' list.
    assert alice.email not in contacts and sam.email not in contacts


def test_a_partner_that_named_only_a_phone_shows_only_that(client, acme_admin, contoso, alice):
    update_contact_details(partner=contoso, by=alice, values={"contact_phone": "+420601123456"})
    client.force_login(acme_admin)
    contacts = section(client.get(f"/admin-center/partners/{contoso.partner_id}/").text)
    assert "tel:+420601123456" in contacts
    assert "mailto:" not in contacts
    assert "Website" not in contacts


def test_the_detail_with_named_details_costs_no_more(
    client, acme_admin, acme, named, django_assert_max_num_queries
):
    for _ in range(5):
        f.AgentFactory(partner=named, role=Role.ADMIN_AGENT)
        f.InvitationFactory(partner=named, customer=acme, status="revoked")
    client.force_login(acme_admin)
    # The agents are not looked up at all when the partner named its details.
    with django_assert_max_num_queries(8):
        assert client.get(f"/admin-center/partners/{named.partner_id}/").status_code == 200


def test_the_blocked_request_shows_the_named_details_and_links_the_partners_page(
    client, acme_admin, acme, named, alice, invite, order_for
):
    order_for(acme, named)
    _invitation, path, _token = invite(acme)
    client.force_login(acme_admin)
    page = client.get(path).text
    alert = page.split('id="blocked-message"', 1)[1].split("</div>", 1)[0]
    assert "Contact your partner to attest" in alert
    assert 'href="mailto:support@contoso.example"' in alert
    assert alice.email not in alert
    assert f'href="/admin-center/partners/{named.partner_id}/" data-partner-page' in alert


def test_the_blocked_problem_page_links_the_partners_page(
    client, acme_admin, acme, contoso, invite, order_for
):
    order_for(acme, contoso)
    _invitation, path, _token = invite(acme)
    client.force_login(acme_admin)
    response = client.post(path + "accept/", {"accept_agreement": "on"})
    assert response.status_code == 409
    assert f'href="/admin-center/partners/{contoso.partner_id}/" data-partner-page' in (
        response.text
    )


def test_no_link_to_a_partner_page_the_customer_cannot_open(
    client, acme_admin, acme, contoso, invite, order_for
):
    """Without a relationship the partner's page is 404: the message names no link."""
    order_for(acme, contoso)
    _invitation, path, _token = invite(acme)
    Relationship.objects.filter(customer=acme, partner=contoso).delete()
    client.force_login(acme_admin)
    assert "data-partner-page" not in client.get(path).text


def test_the_standing_link_links_the_partners_page_when_blocked(
    client, acme_admin, acme, contoso, litware, order_for
):
    f.RelationshipFactory(
        partner=litware, customer=acme, status=RelationshipStatus.PENDING, activated_at=None
    )
    order_for(acme, litware)
    client.force_login(acme_admin)
    page = client.get(f"/admin-center/relationship/{litware.partner_id}/").text
    assert "must attest that you accepted it" in page
    assert f'href="/admin-center/partners/{litware.partner_id}/" data-partner-page' in page


def test_accepting_a_d2_invitation_leads_to_the_partners_page(
    client, acme_admin, acme, named, litware, invite, order_for
):
    Relationship.objects.filter(customer=acme, partner=named).update(
        status=RelationshipStatus.PENDING, activated_at=None
    )
    f.RelationshipFactory(partner=litware, customer=acme)
    order_for(acme, litware)
    _invitation, path, _token = invite(acme, InvitationKind.RESELLER_RELATIONSHIP)
    client.force_login(acme_admin)
    response = client.post(path + "accept/", {"accept_relationship": "on"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/admin-center/partners/{named.partner_id}/"
    assert "must attest that you accepted it" in response.text.replace("&#x27;", "'")
    assert "mailto:support@contoso.example" in section(response.text)
