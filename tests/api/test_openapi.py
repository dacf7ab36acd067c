"""The OpenAPI schema, the docs page, and a schema-driven fuzz run against the WSGI app."""

import json
import re

import phonenumbers
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from agreements.api import signed_link
from customers.models import Customer
from customers.services import details_version
from orders.api import MAX_LINE_ITEMS
from orders.services import MAX_QUANTITY
from portal.api.pagination import MAX_PAGE_SIZE
from portal.models import ApiToken
from signing.services import Signatory, start_signing
from tests import factories as f

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/v1/agreements": {"get"},
    "/v1/agreementtemplates/{template_id}/document": {"get"},
    "/v1/agreementdocuments/{signature}": {"get"},
    "/v1/customers": {"get", "post"},
    "/v1/customers/{tenant_id}": {"get"},
    "/v1/customers/{tenant_id}/profiles/billing": {"get", "put"},
    "/v1/customers/{tenant_id}/agreements": {"get", "post"},
    "/v1/customers/{tenant_id}/agreements/{record_id}/receipt": {"get"},
    "/v1/evidence/checkpoints/latest": {"get"},
    "/v1/customers/{tenant_id}/directSignedMicrosoftCustomerAgreementStatus": {"get"},
    "/v1/customers/relationshiprequests": {"get"},
    "/v1/partners/customeragreementrecords": {"get"},
    "/v1/attestations/enhanced": {"post"},
    "/v1/attestations/enhanced/{attestation_id}": {"get", "delete"},
    "/v1/offers": {"get"},
    "/v1/customers/{tenant_id}/orders": {"post"},
    "/v1/bulkattestations": {"post"},
    "/v1/bulkattestations/{job_id}": {"get"},
    "/v1/bulkattestations/{job_id}/results": {"get"},
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


def test_the_schema_states_the_limits_the_server_enforces(anonymous_api):
    schema = anonymous_api.get("/v1/openapi.json").json()
    components = schema["components"]["schemas"]
    lines = components["NewOrder"]["properties"]["lineItems"]
    assert (lines["minItems"], lines["maxItems"]) == (1, MAX_LINE_ITEMS)
    quantity = components["LineItem"]["properties"]["quantity"]
    assert (quantity["minimum"], quantity["maximum"]) == (1, MAX_QUANTITY)
    contact = components["PrimaryContact"]
    assert set(contact["required"]) == {"firstName", "lastName", "email"}
    first_name = contact["properties"]["firstName"]
    assert (first_name["minLength"], first_name["maxLength"]) == (1, 100)
    assert not re.search(first_name["pattern"], "   ")
    assert not re.search(first_name["pattern"], "Jana\x00")
    assert contact["properties"]["email"]["format"] == "email"
    phone = contact["properties"]["phoneNumber"]["oneOf"]
    assert phone[0]["format"] == "phone"
    assert re.search(phone[0]["pattern"], "+420601123456")
    assert not re.search(phone[0]["pattern"], "601 123 456")
    date_agreed = components["NewAgreement"]["properties"]["dateAgreed"]["anyOf"]
    assert {option["format"] for option in date_agreed} == {"date", "date-time"}
    domain = components["CompanyProfile"]["properties"]["domain"]
    assert re.search(domain["pattern"], "acme.onmicrosoft.com")
    assert not re.search(domain["pattern"], "acme.example")

    def parameter(path: str, method: str, name: str) -> dict:
        parameters = schema["paths"][path][method]["parameters"]
        return next(p["schema"] for p in parameters if p["name"] == name)

    size = parameter("/v1/customers", "get", "size")
    assert (size["minimum"], size["maximum"]) == (1, MAX_PAGE_SIZE)
    assert "CZ" in parameter("/v1/offers", "get", "country")["enum"]
    document = "/v1/agreementtemplates/{template_id}/document"
    assert parameter(document, "get", "country")["pattern"] == "^[A-Za-z]{2}$"
    assert parameter("/v1/customers", "post", "MS-RequestId")["maxLength"] == 100


def test_every_operation_documents_its_errors_with_the_error_body(anonymous_api):
    schema = anonymous_api.get("/v1/openapi.json").json()
    error = {"$ref": "#/components/schemas/Error"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            # The NUL guard's 400 and content negotiation's 406 can answer any call.
            assert {"400", "406"} <= set(responses), (method, path)
            if {"bearerAuth": []} in operation.get("security", []):
                assert "401" in responses, (method, path)
            for status, response in responses.items():
                if status.startswith("4"):
                    content = response["content"]
                    assert content == {"application/json": {"schema": error}}, (method, path)


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
    """Alice's token, and what a well-formed call can name: her customer Acme, whose
    agreement is on record (so orders pass the gate), an offer sold there, a download link."""
    acceptance = f.attest(acme, alice)
    offer = f.OfferFactory(countries=["CZ"])
    _token, secret = ApiToken.issue(user=alice, name="fuzz")
    signing_request, _link = start_signing(
        customer=acme,
        partner=alice.partner,
        started_by=alice,
        signatory=Signatory("Jana", "Nováková", "jana@acme.example"),
        document=template_cz.documents.get(country="US"),
        on_record_acknowledged=True,
    )
    document = template_cz.documents.get(country="CZ")
    return {
        "headers": {"Authorization": f"Bearer {secret}"},
        "known": {
            "template_id": str(template_cz.template_id),
            "offer_id": offer.offer_id,
            "today": timezone.localdate().isoformat(),
            "tenant_id": str(acme.tenant_id),
        },
        "path_parameters": {
            "tenant_id": str(acme.tenant_id),
            "record_id": str(acceptance.public_id),
            "template_id": str(template_cz.template_id),
            "signature": signed_link(document).rsplit("/", 1)[1],
            "attestation_id": str(signing_request.public_id),
        },
    }


# The schema's "phone" format: numbers libphonenumber holds valid, as the server requires.
PHONE_NUMBERS = [
    phonenumbers.format_number(
        phonenumbers.example_number(region), phonenumbers.PhoneNumberFormat.E164
    )
    for region in ("CZ", "DE", "AT", "GB", "US")
]
schemathesis.openapi.format("phone", st.sampled_from(PHONE_NUMBERS))

# 400s that well-formed input can still get, for a reason about other records or the clock
# that no schema can state: the domain is taken, no agreement is published in the country,
# the template or offer doesn't exist or isn't sold there, the date is after today or
# before the version was published, the continuation token wasn't one the server issued.
BUSINESS_REFUSALS = {
    "POST /v1/customers": [
        r"^companyProfile\.domain: The domain \S+ is already taken",
        r"^billingProfile\.defaultAddress\.country: No Microsoft Customer Agreement is published",
        # The postal code's form follows the country (its description says which).
        r"^billingProfile\.defaultAddress\.postalCode: Enter a postal code in the form ",
    ],
    "POST /v1/customers/{tenant_id}/agreements": [
        r"^templateId: No .*template with this id\.$",
        r"^templateId: No agreement document is published for ",
        r"can't be in the future \(today is ",
        r"was published on \d{4}-\d\d-\d\d, so it can't have been accepted on ",
    ],
    "POST /v1/customers/{tenant_id}/orders": [
        r"^lineItems\[\d+\]\.offerId: No offer with the id ",
        r"^lineItems: .+ appears more than once; give it one quantity\.$",
        r"^lineItems: .+ is not available in ",
    ],
    # A text/csv body the schema calls a string: its header must name the columns.
    "POST /v1/bulkattestations": [
        r"^The file is empty\.",
        r"^The file's columns aren't the expected ones",
        r"^The file has no rows below its header\.$",
        r"^Row \d+ can't be read as CSV",
        r"^The file isn't UTF-8 text",
    ],
    "GET /v1/bulkattestations/{job_id}/results": [
        r"^MS-ContinuationToken: not a valid continuation token\.$"
    ],
    # The agreement's country and language: one published there (a schema can't list them).
    "POST /v1/attestations/enhanced": [
        r"^country: No agreement is published for ",
        r"^language: \S+ is not published for ",
    ],
    "GET /v1/customers": [r"^MS-ContinuationToken: not a valid continuation token\.$"],
    # The tenant ID and country never change: only the customer's own are accepted; the
    # address's contact names, when sent, are the primary contact's.
    "PUT /v1/customers/{tenant_id}/profiles/billing": [
        r"^id: A customer's tenant ID never changes: this one is ",
        r"^defaultAddress\.country: A customer's country never changes ",
        r"^defaultAddress\.(firstName|lastName): The address's contact is the primary contact",
        r"^defaultAddress\.postalCode: Enter a postal code in the form ",
    ],
    "GET /v1/customers/{tenant_id}/agreements": [
        r"^MS-ContinuationToken: not a valid continuation token\.$"
    ],
    # Two letters the schema allows that name no country.
    "GET /v1/partners/customeragreementrecords": [
        r"^MS-ContinuationToken: not a valid continuation token\.$",
        r"^country: Select a valid choice\. \w+ is not one of the available choices\.$",
    ],
}


@schemathesis.check
def well_formed_input_is_accepted(ctx, response, case):
    """Input the schema allows gets 2xx, or a refusal the schema can't foresee: a 404 for
    something that doesn't exist, 403 from the order gate, 409 for a duplicate attestation,
    412 for an etag that isn't the current version's, 422 for a reused MS-RequestId, or a
    400 in BUSINESS_REFUSALS."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    status = response.status_code
    if status < 300 or status in (403, 404, 409, 412, 422):
        return None
    if status == 400:
        body = json.loads(response.content)
        lines = body["data"] or [body["description"]]
        allowed = BUSINESS_REFUSALS.get(case.operation.label, [])
        if all(any(re.search(pattern, line) for pattern in allowed) for line in lines):
            return None
    raise AssertionError(f"Input the schema allows was refused with {status}: {response.text}")


def on_known_records(case, known: dict, use_them: bool):
    """Generated ids name records that don't exist; half the time, name the ones that do (and
    date an attestation today), so well-formed calls get past the lookups to a 2xx."""
    if not use_them:
        return case
    body = case.body
    if case.operation.label == "GET /v1/agreementtemplates/{template_id}/document":
        case.query = {"country": "CZ"}
    elif case.operation.label == "POST /v1/customers":
        body["billingProfile"]["defaultAddress"]["country"] = "CZ"
    elif case.operation.label == "POST /v1/customers/{tenant_id}/agreements":
        body.update(templateId=known["template_id"], dateAgreed=known["today"])
    elif case.operation.label == "POST /v1/attestations/enhanced":
        body.update(customerTenantId=known["tenant_id"], country="US", language="en-US")
    elif case.operation.label == "POST /v1/customers/{tenant_id}/orders":
        body["lineItems"] = [{**body["lineItems"][0], "offerId": known["offer_id"]}]
    elif case.operation.label == "PUT /v1/customers/{tenant_id}/profiles/billing":
        # Acme's id and country, and the etag of its details as they are now.
        acme = Customer.objects.get(tenant_id=known["tenant_id"])
        body.update(id=known["tenant_id"])
        body["attributes"]["etag"] = details_version(acme)
        body["defaultAddress"].update(
            country="CZ", firstName=body["firstName"], lastName=body["lastName"]
        )
    return case


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    well_formed_input_is_accepted,
]
# Examples per operation and generation mode: the fuzz run takes 10-20 s on SQLite and on
# PostgreSQL alike (two shared cores); CI (.ci/run) runs it on both.
EXAMPLES = 25


def load_schema(*, allow_nul: bool):
    schema = schemathesis.openapi.from_wsgi("/v1/openapi.json", get_wsgi_application())
    # The token is Alice's, always: every endpoint's refusal of a bad one has its own tests.
    schema.config.generation.update(allow_x00=allow_nul, with_security_parameters=False)
    return schema


def test_fuzzing_finds_no_server_error_and_no_answer_outside_the_schema(fuzz_world):
    # Issue 10: no text in a request may hold NUL (portal.middleware answers 400 wherever it
    # is, extra JSON keys included), a rule the API's description states in words; so
    # well-formed calls carry none. Malformed ones do, and must get that 400.
    well_formed_schema, schema = load_schema(allow_nul=False), load_schema(allow_nul=True)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == sum(len(methods) for methods in ENDPOINTS.values())
    for operation in operations:
        path_parameters = {
            name: value
            for name, value in fuzz_world["path_parameters"].items()
            if f"{{{name}}}" in operation.path
        }
        # Well-formed calls on Acme and its template, and malformed ones: everything
        # generated, ids included, so unknown ones get their 404 too.
        well_formed = st.builds(
            on_known_records,
            well_formed_schema[operation.path][operation.method].as_strategy(
                GenerationMode.POSITIVE, path_parameters=path_parameters
            ),
            st.just(fuzz_world["known"]),
            st.booleans(),
        )
        strategies = [well_formed]
        # A string header alone (MS-CorrelationId) can't be malformed.
        if operation.body or operation.path_parameters or operation.query:
            strategies.append(operation.as_strategy(GenerationMode.NEGATIVE))
        for strategy in strategies:

            @given(case=strategy)
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                derandomize=True,
                database=None,
            )
            def run(case):
                case.call_and_validate(headers=fuzz_world["headers"], checks=CHECKS)

            run()
