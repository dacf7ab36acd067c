"""A tester found "Embedding the signing page" orphaned: nothing linked to it, no navigation entry
was current on it, no breadcrumb. It is a setting of the partner's, so Partner profile links to
it and is its navigation entry and breadcrumb; the signing link page points an admin agent to
it too. Only those who may change it (admin agents of a partner that sends signing links) see
the links; every other role is refused the page itself."""

import re

import pytest

from portal.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

PAGE = "/signing/embedding/"
PROFILE = "/agents/profile/"


def current(html: str) -> list[str]:
    side = html.split('id="side-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'aria-current="page">([^<]+)</a>', side)


def breadcrumb(html: str) -> list[str]:
    trail = html.split('<ol class="breadcrumb">', 1)[1].split("</ol>", 1)[0]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in trail.split("</li>")[:-1]]


def links_to_the_page(html: str) -> int:
    return html.count(f'href="{PAGE}"')


@pytest.fixture
def reseller_admin(northwind):
    return f.AgentFactory(email="ruth@northwind.example", partner=northwind, role=Role.ADMIN_AGENT)


def test_the_partner_profile_links_an_admin_agent_to_it(client, alice):
    client.force_login(alice)
    html = client.get(PROFILE).text
    assert links_to_the_page(html) == 1
    assert "Choose the sites that may embed the signing page" in html


def test_in_czech_too(client, alice):
    client.force_login(alice)
    client.cookies["django_language"] = "cs"
    html = client.get(PROFILE, HTTP_ACCEPT_LANGUAGE="cs").text
    assert links_to_the_page(html) == 1
    assert "Vyberte weby, které smějí vložit stránku k podpisu" in html


def test_the_page_marks_partner_profile_and_has_its_breadcrumb(client, alice):
    client.force_login(alice)
    html = client.get(PAGE).text
    assert current(html) == ["Partner profile"]
    assert breadcrumb(html) == ["Partner profile", "Embedding the signing page"]
    trail = html.split('<ol class="breadcrumb">', 1)[1].split("</ol>", 1)[0]
    assert f'<a href="{PROFILE}">Partner profile</a>' in trail
    assert 'aria-current="page">Embedding the signing page</li>' in html


def test_in_czech_the_page_marks_profil_partnera(client, alice):
    client.force_login(alice)
    client.cookies["django_language"] = "cs"
    html = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="cs").text
    assert current(html) == ["Profil partnera"]
    assert breadcrumb(html) == ["Profil partnera", "Vkládání stránky k podpisu"]


def test_the_signing_link_page_points_an_admin_agent_to_it(client, alice, acme, start_signing):
    request, _path = start_signing(acme, agent=alice)
    client.force_login(alice)
    response = client.get(f"/signing/requests/{request.public_id}/")
    assert response.status_code == 200
    assert links_to_the_page(response.text) == 1


def test_a_sales_agent_sees_no_link_to_it(client, sam, acme, start_signing):
    request, _path = start_signing(acme)
    client.force_login(sam)
    response = client.get(f"/signing/requests/{request.public_id}/")
    assert response.status_code == 200
    assert links_to_the_page(response.text) == 0
    assert client.get(PAGE).status_code == 403


def test_a_resellers_admin_sees_no_link_and_is_refused_the_page(client, reseller_admin):
    client.force_login(reseller_admin)
    html = client.get(PROFILE).text  # its own profile, still its to keep
    assert "contact-heading" in html
    assert links_to_the_page(html) == 0
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"allowed_origins": "https://northwind.example"}).status_code == 403


@pytest.mark.parametrize("persona", ["sam", "hana", "bill"])
def test_other_roles_are_refused_the_profile_and_the_page(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(PROFILE).status_code == 403
    assert client.get(PAGE).status_code == 403
