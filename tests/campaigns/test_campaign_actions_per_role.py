"""The campaign's actions per role: admin and sales agents get the attestation file and bulk
invitations of exactly the partner's due customers; a provider runs its resellers' customers'
campaign too, and its reseller sees the same customer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.campaigns.conftest import attest_older

pytestmark = pytest.mark.django_db


def page(client, version):
    return client.get(reverse("campaigns:detail", args=[version.template_id]))


@pytest.mark.parametrize("persona", ["alice", "sam"])
def test_write_agents_get_the_file_and_invite_exactly_the_due(
    client, request, persona, campaign_world
):
    version, customers = campaign_world
    client.force_login(request.getfixturevalue(persona))
    response = page(client, version)
    link = response.context["bulk_invitations"]
    assert link is not None
    assert reverse("campaigns:attestations", args=[version.template_id]) in (
        response.content.decode()
    )
    preview = client.get(link)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Due s.r.o." in html
    for name in ("Done s.r.o.", "Blocked s.r.o.", "Nothing s.r.o.", "Globex Due"):
        assert name not in html
    file = client.get(reverse("campaigns:attestations", args=[version.template_id]))
    assert file.status_code == 200


def test_a_provider_runs_its_resellers_customers_campaign(
    client, frank, nora, initech, template_cz, campaign_world
):
    version, _customers = campaign_world
    attest_older(initech, frank, template_cz)
    for agent in (frank, nora):
        client.force_login(agent)
        response = page(client, version)
        names = [row.customer.company_name for row in response.context["page"].object_list]
        assert names == [initech.company_name], agent
        assert response.context["counts"].due == 1
    # The provider attests and invites; the reseller invites but gets no attestation file (R3).
    client.force_login(frank)
    assert (
        client.get(reverse("campaigns:attestations", args=[version.template_id])).status_code == 200
    )
    client.force_login(nora)
    assert page(client, version).context["bulk_invitations"] is not None
    assert (
        client.get(reverse("campaigns:attestations", args=[version.template_id])).status_code == 403
    )
