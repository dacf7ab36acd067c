"""Issue 16: open requests on the admin center's home page can be answered there, without
the email's link."""

import pytest

from agreements.models import Acceptance
from invitations.models import InvitationStatus
from tests import factories as f
from tests.admin_center.accepting import press_accept


def test_home_links_each_open_request_to_its_page(client, acme_admin, acme_invitation):
    invitation, _path, _token = acme_invitation
    client.force_login(acme_admin)
    page = client.get("/admin-center/").text
    assert f'href="/admin-center/requests/{invitation.public_id}/"' in page
    assert f'href="/admin-center/requests/{invitation.public_id}/decline/"' in page
    assert "open the link in the email" not in page


def test_the_request_page_shows_the_agreement_and_accepts(client, acme_admin, acme_invitation):
    invitation, _path, _token = acme_invitation
    client.force_login(acme_admin)
    url = f"/admin-center/requests/{invitation.public_id}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Request from Contoso Partner" in page.text
    assert f'action="{url}accept/"' in page.text
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.OPENED
    response = press_accept(client, url, {"accept_agreement": "on"})
    assert response.status_code == 302
    assert Acceptance.objects.get().customer == invitation.customer
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED


def test_accepting_from_home_needs_the_box_ticked(client, acme_admin, acme_invitation):
    invitation, _path, _token = acme_invitation
    client.force_login(acme_admin)
    response = client.post(f"/admin-center/requests/{invitation.public_id}/accept/", {})
    assert response.status_code == 400
    assert not Acceptance.objects.exists()


def test_a_get_never_accepts(client, acme_admin, acme_invitation):
    invitation, _path, _token = acme_invitation
    client.force_login(acme_admin)
    assert client.get(f"/admin-center/requests/{invitation.public_id}/accept/").status_code == 405
    assert not Acceptance.objects.exists()


def test_another_customers_request_is_not_found(client, acme_invitation, globex):
    invitation, _path, _token = acme_invitation
    client.force_login(f.CustomerAdminFactory(customer=globex, must_change_password=False))
    url = f"/admin-center/requests/{invitation.public_id}/"
    assert client.get(url).status_code == 404
    assert press_accept(client, url, {"accept_agreement": "on"}).status_code == 404
    assert not Acceptance.objects.exists()


@pytest.mark.parametrize("persona", ["alice", "sam", "hana", "bill"])
def test_agents_cannot_answer(request, client, persona, acme_invitation):
    invitation, _path, _token = acme_invitation
    client.force_login(request.getfixturevalue(persona))
    url = f"/admin-center/requests/{invitation.public_id}/"
    assert client.get(url).status_code == 403
    assert press_accept(client, url, {"accept_agreement": "on"}).status_code == 403


def test_a_revoked_request_gets_its_page(client, acme_admin, acme_invitation):
    invitation, _path, _token = acme_invitation
    invitation.status = InvitationStatus.REVOKED
    invitation.save()
    client.force_login(acme_admin)
    page = client.get(f"/admin-center/requests/{invitation.public_id}/")
    assert page.status_code == 410
    assert "withdrawn" in page.text


def test_an_unknown_id_is_not_found(client, acme_admin):
    client.force_login(acme_admin)
    url = "/admin-center/requests/00000000-0000-0000-0000-000000000000/"
    assert client.get(url).status_code == 404
    assert client.get("/admin-center/requests/not-a-uuid/").status_code == 404


def test_the_home_page_keeps_its_query_budget(
    client, acme_admin, acme, invite, django_assert_max_num_queries
):
    client.force_login(acme_admin)
    for _ in range(3):
        f.RelationshipFactory(customer=acme)
    client.get("/admin-center/")
    with django_assert_max_num_queries(10) as captured:
        client.get("/admin-center/")
    few = len(captured)
    for partner in [f.PartnerFactory() for _ in range(4)]:
        f.RelationshipFactory(customer=acme, partner=partner)
        f.InvitationFactory(partner=partner, customer=acme)
    with django_assert_max_num_queries(few):
        client.get("/admin-center/")
