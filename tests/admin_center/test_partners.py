"""C: the customer's consolidated list of partners and a detail page for each."""

import pytest

from customers.models import RelationshipStatus
from tests import factories as f


def test_the_partners_list_shows_every_partner_with_status_and_since(
    client, acme_admin, acme, contoso, litware
):
    f.RelationshipFactory(
        partner=litware, customer=acme, status=RelationshipStatus.PENDING, activated_at=None
    )
    client.force_login(acme_admin)
    page = client.get("/admin-center/partners/")
    assert page.status_code == 200
    assert "Contoso Partner" in page.text
    assert "Litware Cloud" in page.text
    assert "Pending" in page.text
    assert "Not on record" in page.text
    assert f'href="/admin-center/partners/{contoso.partner_id}/"' in page.text


def test_the_list_shows_direct_acceptance(client, acme_admin, acme, contoso):
    f.accept_directly(acme, acme_admin, contoso)
    client.force_login(acme_admin)
    assert "Accepted by you" in client.get("/admin-center/partners/").text


def test_the_partner_detail_shows_the_relationship_records_and_invitations(
    client, acme_admin, acme, contoso, sam
):
    f.accept_directly(acme, acme_admin, contoso)
    f.InvitationFactory(partner=contoso, customer=acme, created_by=sam)
    client.force_login(acme_admin)
    page = client.get(f"/admin-center/partners/{contoso.partner_id}/")
    assert page.status_code == 200
    assert '<h1 class="h3">Contoso Partner</h1>' in page.text
    assert "Direct acceptance" in page.text
    assert "Accept the agreement as an existing customer" in page.text


def test_a_partner_without_a_relationship_is_not_found(client, acme_admin, litware):
    client.force_login(acme_admin)
    assert client.get(f"/admin-center/partners/{litware.partner_id}/").status_code == 404


def test_another_customers_partners_stay_hidden(client, acme_admin, globex, litware):
    client.force_login(acme_admin)
    assert "Litware" not in client.get("/admin-center/partners/").text


@pytest.mark.parametrize("persona", ["alice", "hana", "operator"])
def test_agents_and_operators_never_reach_the_partners_pages(request, client, persona, contoso):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/admin-center/partners/").status_code == 403
    assert client.get(f"/admin-center/partners/{contoso.partner_id}/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/admin-center/partners/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin-center/login/")


def test_the_home_page_lists_open_requests_and_partners(client, acme_admin, acme, sam):
    f.InvitationFactory(partner=sam.partner, customer=acme, created_by=sam)
    client.force_login(acme_admin)
    page = client.get("/admin-center/")
    assert "Contoso Partner: Accept the agreement as an existing customer" in page.text
    assert "Your partners" in page.text


def test_the_partner_details_invitation_lines_have_no_stray_separator(
    client, acme_admin, acme, contoso, sam
):
    f.InvitationFactory(partner=contoso, customer=acme, created_by=sam)
    client.force_login(acme_admin)
    page = client.get(f"/admin-center/partners/{contoso.partner_id}/").text
    section = page.split('id="invitations-heading"', 1)[1]
    line = section.split("<li", 1)[1].split("</li>", 1)[0]
    assert "·" not in line
    assert "Accept the agreement as an existing customer" in line
    assert "Pending" in line
    assert "Created:" in line
