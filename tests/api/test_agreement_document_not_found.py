"""A 404 for an agreement document says which is missing: the template, or its document."""

import uuid

import pytest

from tests import factories as f
from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db

NO_TEMPLATE = "No agreement template with this templateId."
NO_DOCUMENT = "No document of this template for that country and language."


def url(template_id, query="country=CZ&language=cs-CZ") -> str:
    return f"/v1/agreementtemplates/{template_id}/document?{query}"


@pytest.mark.parametrize("persona", ["alice", "hana", "nora"])
def test_an_unknown_template_is_a_404_that_says_the_template_does_not_exist(
    api_as, persona, request, template_cz
):
    response = api_as(request.getfixturevalue(persona)).get(url(uuid.uuid4()))
    assert assert_error(response, 404, 1000)["description"] == NO_TEMPLATE


@pytest.mark.parametrize(
    "query", ["country=CZ&language=cs-CZ", "country=FR", "country=CZ&language=de-DE"]
)
def test_an_unknown_template_says_so_whatever_the_country_and_language(
    api_as, alice, template_cz, query
):
    response = api_as(alice).get(url(uuid.uuid4(), query))
    assert assert_error(response, 404, 1000)["description"] == NO_TEMPLATE


@pytest.mark.parametrize("query", ["country=FR", "country=CZ&language=de-DE"])
def test_a_known_template_without_that_document_still_says_the_document_is_missing(
    api_as, alice, template_cz, query
):
    response = api_as(alice).get(url(template_cz.template_id, query))
    assert assert_error(response, 404, 1000)["description"] == NO_DOCUMENT


def test_an_older_template_without_a_document_for_the_country_is_a_known_template(
    api_as, alice, template_cz
):
    older = f.AgreementTemplateFactory(version_rank=0)
    f.AgreementDocumentFactory(template=older, country="US", language="en-US")
    response = api_as(alice).get(url(older.template_id))
    assert assert_error(response, 404, 1000)["description"] == NO_DOCUMENT


def test_an_unknown_template_needs_a_token_first(anonymous_api, template_cz):
    assert_error(anonymous_api.get(url(uuid.uuid4())), 401)
