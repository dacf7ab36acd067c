"""The invitations list pages with the bounded paginator and keeps the filter across pages."""

from functools import partial

import pytest

from invitations import views
from invitations.models import InvitationStatus
from portal.pagination import BoundedPaginator
from tests import factories as f

pytestmark = pytest.mark.django_db


def add_invitations(agent, count, **fields):
    for _ in range(count):
        f.InvitationFactory(
            partner=agent.partner, customer=f.CustomerFactory(), created_by=agent, **fields
        )


def test_the_second_page_holds_the_older_invitations(client, sam):
    add_invitations(sam, views.PAGE_SIZE + 3)
    client.force_login(sam)
    first = client.get("/invitations/")
    assert len(first.context["page"].object_list) == views.PAGE_SIZE
    assert "Page 1 of 2" in first.text
    assert 'aria-label="Pages of invitations"' in first.text
    second = client.get("/invitations/?page=2")
    assert len(second.context["page"].object_list) == 3
    assert "Page 2 of 2" in second.text


def test_the_next_link_keeps_the_status_filter(client, sam):
    add_invitations(sam, views.PAGE_SIZE + 1, status=InvitationStatus.REVOKED)
    add_invitations(sam, 2)
    client.force_login(sam)
    response = client.get("/invitations/?status=revoked")
    assert 'href="?status=revoked&amp;page=2"' in response.text
    second = client.get("/invitations/?status=revoked&page=2")
    assert [i.status for i in second.context["page"].object_list] == [InvitationStatus.REVOKED]


def test_the_count_stops_at_the_limit(client, sam, monkeypatch):
    monkeypatch.setattr(views, "BoundedPaginator", partial(BoundedPaginator, limit=30))
    add_invitations(sam, 31)
    client.force_login(sam)
    response = client.get("/invitations/")
    assert response.context["page"].paginator.truncated
    assert "Page 1 of more than 2" in response.text


def test_a_page_past_the_end_shows_the_last_page(client, sam):
    add_invitations(sam, 2)
    client.force_login(sam)
    response = client.get("/invitations/?page=99")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 2
