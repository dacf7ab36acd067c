import pytest
from django.urls import resolve

from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db

URL = "/v1/customers/relationshiprequests"


@pytest.mark.parametrize("persona", ["alice", "sam", "nora"])
def test_write_agents_get_their_partners_reseller_relationship_link(api_as, persona, request):
    agent = request.getfixturevalue(persona)
    response = api_as(agent).get(URL)
    assert response.status_code == 200
    assert response.json() == {
        "url": f"http://127.0.0.1:8000/admin-center/relationship/{agent.partner.partner_id}/"
    }


def test_the_link_resolves_to_the_admin_center_page_of_the_partner(api_as, alice, client):
    url = api_as(alice).get(URL).json()["url"]
    path = url.removeprefix("http://127.0.0.1:8000")
    match = resolve(path)
    assert match.view_name == "admin_center:relationship_request"
    assert match.kwargs == {"partner_id": alice.partner.partner_id}
    page = client.get(path)
    assert page.status_code == 200
    assert "Contoso" in page.text
    assert "asks to become your reseller" in page.text


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_helpdesk_and_billing_cannot_invite(api_as, persona, request):
    assert_error(api_as(request.getfixturevalue(persona)).get(URL), 403, 403)


def test_the_link_is_built_from_the_configured_base_url(api_as, alice, settings):
    settings.PORTAL_BASE_URL = "https://portal.example"
    assert api_as(alice).get(URL).json()["url"].startswith("https://portal.example/admin-center/")


def test_the_link_needs_a_token(anonymous_api):
    assert_error(anonymous_api.get(URL), 401)
