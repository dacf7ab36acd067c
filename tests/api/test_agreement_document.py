import datetime

import pytest
import time_machine
from django.utils import timezone

from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db


def document_url(template, query="country=CZ&language=cs-CZ"):
    return f"/v1/agreementtemplates/{template.template_id}/document?{query}"


@pytest.mark.parametrize("persona", ["alice", "hana", "bill", "nora"])
def test_every_agent_gets_the_document_links(api_as, persona, request, template_cz):
    response = api_as(request.getfixturevalue(persona)).get(document_url(template_cz))
    assert response.status_code == 200
    body = response.json()
    assert body["templateId"] == str(template_cz.template_id)
    assert (body["country"], body["language"]) == ("CZ", "cs-CZ")
    assert body["downloadUri"].startswith("http://127.0.0.1:8000/v1/agreementdocuments/")
    assert body["displayUri"].startswith(body["downloadUri"])


def test_the_download_link_works_without_a_token(api_as, anonymous_api, alice, template_cz):
    body = api_as(alice).get(document_url(template_cz)).json()
    response = anonymous_api.get(body["downloadUri"].removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 200
    assert b"SAMPLE agreement text for tests, CZ cs-CZ" in b"".join(response.streaming_content)
    assert "attachment" in response["Content-Disposition"]


def test_the_display_link_shows_the_document_inline(api_as, anonymous_api, alice, template_cz):
    body = api_as(alice).get(document_url(template_cz)).json()
    response = anonymous_api.get(body["displayUri"].removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 200
    assert "inline" in response["Content-Disposition"]


def test_the_download_link_expires_after_five_minutes(api_as, anonymous_api, alice, template_cz):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        link = api_as(alice).get(document_url(template_cz)).json()["downloadUri"]
    path = link.removeprefix("http://127.0.0.1:8000")
    with time_machine.travel(start + datetime.timedelta(seconds=299), tick=False):
        assert anonymous_api.get(path).status_code == 200
    with time_machine.travel(start + datetime.timedelta(seconds=301), tick=False):
        body = assert_error(anonymous_api.get(path), 410, 410)
    assert "expired" in body["description"]


def test_a_tampered_download_link_is_404(anonymous_api, template_cz):
    assert_error(anonymous_api.get("/v1/agreementdocuments/1:forged:signature"), 404, 1000)


def test_the_language_is_optional(api_as, alice, template_cz):
    body = api_as(alice).get(document_url(template_cz, "country=US")).json()
    assert body["language"] == "en-US"


def test_no_document_for_the_country_is_404(api_as, alice, template_cz):
    assert_error(api_as(alice).get(document_url(template_cz, "country=DE")), 404, 1000)


def test_no_document_for_the_language_is_404(api_as, alice, template_cz):
    response = api_as(alice).get(document_url(template_cz, "country=CZ&language=de-DE"))
    assert_error(response, 404, 1000)


def test_an_unknown_template_is_404(api_as, alice, template_cz):
    response = api_as(alice).get(
        "/v1/agreementtemplates/00000000-0000-0000-0000-000000000000/document?country=CZ"
    )
    assert_error(response, 404, 1000)


def test_the_country_is_required(api_as, alice, template_cz):
    body = assert_error(api_as(alice).get(document_url(template_cz, "")), 400, 800002)
    assert "country" in body["description"]


def test_document_links_need_a_token(anonymous_api, template_cz):
    assert_error(anonymous_api.get(document_url(template_cz)), 401)
