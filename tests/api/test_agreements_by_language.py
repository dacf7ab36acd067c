"""Issue 16: GET /v1/agreements filters by country and language; the document endpoint gives
each language of a country."""

import pytest

from tests import factories as f
from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_only(template_cz):
    """A newer version published for Czechia in English only."""
    newer = f.AgreementTemplateFactory(version_rank=template_cz.version_rank + 1)
    f.AgreementDocumentFactory(template=newer, country="CZ", language="en-US")
    return newer


def ids(response) -> list[str]:
    assert response.status_code == 200
    return [item["templateId"] for item in response.json()["items"]]


def test_the_list_filters_by_language(api_as, alice, template_cz, english_only):
    api = api_as(alice)
    assert ids(api.get("/v1/agreements?language=cs-CZ")) == [str(template_cz.template_id)]
    assert ids(api.get("/v1/agreements?language=EN-us")) == [
        str(english_only.template_id),
        str(template_cz.template_id),  # its US document is English too
    ]
    assert ids(api.get("/v1/agreements?country=CZ&language=en-US")) == [
        str(english_only.template_id)
    ]
    assert ids(api.get("/v1/agreements?country=DE")) == []
    assert len(ids(api.get("/v1/agreements"))) == 2


def test_the_document_endpoint_gives_the_english_document_for_czechia(api_as, sam, english_only):
    response = api_as(sam).get(
        f"/v1/agreementtemplates/{english_only.template_id}/document?country=CZ&language=en-US"
    )
    assert response.status_code == 200
    assert response.json()["language"] == "en-US"


@pytest.mark.parametrize(
    "query", ["country=Czechia", "country=C1", "language=en_US%3Bdrop", "language=" + "x" * 11]
)
def test_bad_filters_are_400(api_as, alice, template_cz, query):
    assert_error(api_as(alice).get(f"/v1/agreements?{query}"), 400, 800002)


def test_without_a_token_it_is_401(client, template_cz):
    assert client.get("/v1/agreements?language=cs-CZ").status_code == 401
