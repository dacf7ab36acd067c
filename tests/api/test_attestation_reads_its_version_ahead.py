"""An attestation through the API looks its version up with the rest of what it reads under
the customer's lock (agreements.ahead), not in a query of its own before, and writes the
relationships' statuses in the same round trip as the append (PostgreSQL; with a head that
moved meanwhile: tests/agreements/test_appends_chain_to_the_head_read_ahead.py). What anyone sees
is as before: the same answers, in the same order of precedence, and nothing half-saved."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import Acceptance
from customers.models import AgreementStatus, Relationship
from tests.api.conftest import assert_error
from tests.api.payloads import attestation

POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]
YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def url(customer) -> str:
    return f"/v1/customers/{customer.tenant_id}/agreements"


def status_of(customer, partner) -> str:
    return Relationship.objects.get(customer=customer, partner=partner).agreement_status


def test_an_unknown_template_id_is_400_naming_it_and_nothing_is_saved(
    api_as, alice, acme, template_cz
):
    body = attestation(template_cz, templateId=str(uuid.uuid4()))
    response = api_as(alice).post_json(url(acme), body)
    error = assert_error(response, 400, 800002)
    assert error["description"] == (
        "templateId: No published MicrosoftCustomerAgreement template with this id."
    )
    assert error["data"] == [error["description"]]
    assert not Acceptance.objects.exists()
    assert status_of(acme, alice.partner) == AgreementStatus.NONE


def test_an_unknown_template_is_400_even_where_the_contact_and_date_are_a_duplicate(
    api_as, alice, acme, template_cz
):
    api = api_as(alice)
    assert api.post_json(url(acme), attestation(template_cz)).status_code == 201
    # The same person and date again, but of no published version: the version is what is
    # wrong, as when it was looked up before the duplicate check.
    body = attestation(template_cz, templateId=str(uuid.uuid4()))
    assert_error(api.post_json(url(acme), body), 400, 800002)
    assert Acceptance.objects.count() == 1


def test_a_date_before_the_versions_publication_is_400_on_date_agreed(
    api_as, alice, acme, template_cz
):
    api = api_as(alice)
    agreed = template_cz.published_on - datetime.timedelta(days=1)
    body = attestation(template_cz, dateAgreed=agreed.isoformat())
    response = api.post_json(url(acme), body)
    error = assert_error(response, 400, 800002)
    assert error["description"].startswith(
        f"dateAgreed: Version {template_cz.version_rank} of the Microsoft Customer Agreement was "
        "published on"
    )
    assert not Acceptance.objects.exists()


def test_an_attestation_records_the_named_version_and_its_document_in_the_customers_language(
    api_as, alice, acme, template_cz
):
    response = api_as(alice).post_json(url(acme), attestation(template_cz))
    assert response.status_code == 201, response.content
    record = Acceptance.objects.get()
    assert record.template == template_cz
    assert record.document_sha256 == template_cz.documents.get(country="CZ").sha256
    assert status_of(acme, alice.partner) == AgreementStatus.ATTESTED


@pytest.mark.skipif(not POSTGRES, reason="statements go together on PostgreSQL only")
def test_the_version_is_read_with_the_customers_lock_and_no_query_of_its_own(
    api_as, alice, acme, template_cz
):
    api = api_as(alice)
    api.get("/v1/agreements")  # the token's last use is written now, not in the POST
    with CaptureQueriesContext(connection) as captured:
        response = api.post_json(url(acme), attestation(template_cz))
    assert response.status_code == 201, response.content
    # (The test's own transaction makes the request's a savepoint.)
    statements = [
        query["sql"] for query in captured.captured_queries if "SAVEPOINT" not in query["sql"]
    ]
    template_table = "agreements_agreementtemplate"
    own = [sql for sql in statements if "ahead_named" not in sql and template_table in sql]
    assert own == [], "the template was looked up in a query of its own"
    [batch] = [sql for sql in statements if "customers_lock" in sql]
    assert "EXECUTE ahead_named_documents" in batch and "EXECUTE ahead_named_" in batch
    # The token, the customer's relationship, what is read under its lock, the append.
    assert len(statements) == 4, statements


@pytest.mark.skipif(not POSTGRES, reason="statements go together on PostgreSQL only")
def test_the_statuses_are_written_in_the_appends_round_trip_before_the_head(
    api_as, alice, acme, template_cz
):
    api = api_as(alice)
    api.get("/v1/agreements")
    with CaptureQueriesContext(connection) as captured:
        response = api.post_json(url(acme), attestation(template_cz))
    assert response.status_code == 201, response.content
    [append] = [
        query["sql"] for query in captured.captured_queries if "chain_append" in query["sql"]
    ]
    assert "EXECUTE relationship_status" in append
    assert append.index("EXECUTE relationship_status") < append.index("EXECUTE chain_append")
    assert not any(
        "UPDATE" in query["sql"] and "chain_append" not in query["sql"]
        for query in captured.captured_queries
        if "portal_apitoken" not in query["sql"]
    )
    assert status_of(acme, alice.partner) == AgreementStatus.ATTESTED
    assert Relationship.objects.get(customer=acme, partner=alice.partner).last_accepted_on == (
        YESTERDAY
    )
