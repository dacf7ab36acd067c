"""Only the roles that invite see the invitations list, search or not."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["alice", "sam"])
def test_admin_and_sales_agents_may_search(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/invitations/?q=acme&sort=expires").status_code == 200


@pytest.mark.parametrize("persona", ["hana", "bill", "acme_admin"])
def test_other_users_may_not(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/invitations/?q=acme").status_code == 403
