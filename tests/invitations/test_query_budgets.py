"""Every page of this issue has a query budget that does not grow with the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import Acceptance
from invitations.models import InvitationStatus
from tests import factories as f


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def add_invitations(partner, agent, count):
    for _ in range(count):
        f.InvitationFactory(
            partner=partner,
            customer=f.CustomerFactory(),
            created_by=agent,
            opened_at=timezone.now(),
        )


def test_the_invitations_list_does_not_grow_with_rows(client, sam, django_assert_max_num_queries):
    add_invitations(sam.partner, sam, 2)
    client.force_login(sam)
    few = queries(client, "/invitations/")
    add_invitations(sam.partner, sam, 20)
    assert queries(client, "/invitations/") == few
    with django_assert_max_num_queries(8):
        client.get("/invitations/")


def test_the_customer_panel_does_not_grow_with_rows(client, sam, acme):
    f.InvitationFactory(partner=sam.partner, customer=acme, created_by=sam)
    client.force_login(sam)
    url = f"/customers/{acme.tenant_id}/"
    few = queries(client, url)
    # Only one may be open at a time (the database insists); the history is what grows.
    for _ in range(15):
        f.InvitationFactory(
            partner=sam.partner, customer=acme, created_by=sam, status=InvitationStatus.REVOKED
        )
    assert queries(client, url) == few


def test_the_partners_list_does_not_grow_with_rows(
    client, acme_admin, acme, django_assert_max_num_queries
):
    client.force_login(acme_admin)
    few = queries(client, "/admin-center/partners/")
    for _ in range(10):
        f.RelationshipFactory(customer=acme)
    assert queries(client, "/admin-center/partners/") == few
    with django_assert_max_num_queries(6):
        client.get("/admin-center/partners/")


def test_the_home_page_does_not_grow_with_rows(client, acme_admin, acme, sam):
    client.force_login(acme_admin)
    few = queries(client, "/admin-center/")
    for _ in range(10):
        relationship = f.RelationshipFactory(customer=acme)
        f.InvitationFactory(partner=relationship.partner, customer=acme, created_by=sam)
    assert queries(client, "/admin-center/") == few


def test_the_partner_detail_does_not_grow_with_rows(client, acme_admin, acme, contoso, sam):
    client.force_login(acme_admin)
    url = f"/admin-center/partners/{contoso.partner_id}/"
    few = queries(client, url)
    for _ in range(5):
        f.InvitationFactory(
            partner=contoso, customer=acme, created_by=sam, status=InvitationStatus.ACCEPTED
        )
        f.accept_directly(acme, acme_admin, contoso)
    assert Acceptance.objects.count() == 5
    assert queries(client, url) == few


@pytest.mark.parametrize("opened", [False, True])
def test_the_invitation_page_has_a_small_budget(
    client, acme_invitation, acme_admin, django_assert_max_num_queries, opened
):
    _invitation, path, _token = acme_invitation
    client.force_login(acme_admin)
    if opened:
        client.get(path)
    with django_assert_max_num_queries(14):
        assert client.get(path).status_code == 200


def test_the_request_page_has_a_small_budget(client, sam, django_assert_max_num_queries):
    client.force_login(sam)
    with django_assert_max_num_queries(5):
        assert client.get("/invitations/request/").status_code == 200
