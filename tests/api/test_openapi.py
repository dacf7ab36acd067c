"""The OpenAPI schema, the docs page, and a schema-driven fuzz run against the WSGI app."""

import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from portal.models import ApiToken
from tests import factories as f

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/v1/agreements": {"get"},
    "/v1/agreementtemplates/{template_id}/document": {"get"},
    "/v1/agreementdocuments/{signature}": {"get"},
    "/v1/customers": {"get", "post"},
    "/v1/customers/{tenant_id}": {"get"},
    "/v1/customers/{tenant_id}/agreements": {"get", "post"},
    "/v1/customers/{tenant_id}/directSignedMicrosoftCustomerAgreementStatus": {"get"},
    "/v1/customers/relationshiprequests": {"get"},
    "/v1/offers": {"get"},
    "/v1/customers/{tenant_id}/orders": {"post"},
}


def test_the_schema_is_openapi_3_and_lists_every_endpoint(anonymous_api):
    response = anonymous_api.get("/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {path: set(ops) - {"parameters"} for path, ops in schema["paths"].items()} == ENDPOINTS
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    create = schema["paths"]["/v1/customers/{tenant_id}/agreements"]["post"]
    assert set(create["responses"]) >= {"201", "400", "401", "403", "404", "409"}


def test_the_docs_are_served_from_static_files_not_a_cdn(anonymous_api):
    response = anonymous_api.get("/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui" in source for source in sources)
    assert all(source.startswith("/static/") for source in sources if "swagger" in source)
    # Nothing is fetched from another origin (a CDN or otherwise). Searching the page for
    # "cdn" would be flaky: the random CSRF token can contain those letters.
    assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html, re.IGNORECASE)
    assert "/v1/openapi.json" in html


def test_the_docs_assets_exist(anonymous_api):
    from django.contrib.staticfiles import finders

    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


@pytest.fixture
def _keep_the_test_connection():
    """Called straight through WSGI, Django would close the test's connection after each
    request (as the test client prevents too): on PostgreSQL that ends the test."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_world(alice, acme, template_cz, _keep_the_test_connection):
    f.attest(acme, alice)
    f.OfferFactory(countries=["CZ"])
    _token, secret = ApiToken.issue(user=alice, name="fuzz")
    return secret


def test_fuzzing_finds_no_server_error_and_no_answer_outside_the_schema(fuzz_world):
    schema = schemathesis.openapi.from_wsgi("/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == sum(len(methods) for methods in ENDPOINTS.values())
    headers = {"Authorization": f"Bearer {fuzz_world}"}
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case):
            case.call_and_validate(headers=headers, checks=checks)

        run()
