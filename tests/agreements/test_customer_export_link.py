"""The customers list offers the export of what it shows: its search and filters go along."""

from html import unescape

import pytest


@pytest.mark.parametrize("persona", ["alice", "sam", "hana", "bill", "frank", "nora"])
def test_every_agent_role_sees_the_export_link(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/customers/")
    assert 'href="/customers/export.csv"' in response.content.decode()


def test_the_link_carries_the_lists_filters_but_not_its_page(client, alice, acme):
    client.force_login(alice)
    page = unescape(client.get("/customers/?q=acme&status=none&page=2&sort=-name").content.decode())
    assert 'href="/customers/export.csv?q=acme&status=none"' in page
