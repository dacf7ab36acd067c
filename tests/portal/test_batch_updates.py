"""portal.batch_updates: update_rows gives each row its own values in one statement, as a save
would write them (dates, nulls, foreign keys, text), on SQLite and PostgreSQL alike; insert_rows
inserts plain values the same way."""

from __future__ import annotations

import datetime

import pytest
from django.db import DataError, connection, transaction
from django.test.utils import CaptureQueriesContext

from agreements.models import Acceptance
from customers.models import AgreementStatus, Customer, Relationship
from portal.batch_updates import copy_plan, copy_values, insert_rows, update_rows
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_each_row_gets_its_own_values_in_one_statement(contoso):
    first, second, untouched = (f.RelationshipFactory(partner=contoso) for _ in range(3))
    second.last_accepted_on = datetime.date(2025, 1, 1)
    second.save()
    fields = ["agreement_status", "last_accepted_on", "invited_until"]
    until = datetime.datetime(2026, 5, 1, 12, 30, tzinfo=datetime.UTC)
    with CaptureQueriesContext(connection) as captured:
        updated = update_rows(
            Relationship,
            fields,
            [
                (first.pk, AgreementStatus.ATTESTED, datetime.date(2026, 1, 15), None),
                (second.pk, AgreementStatus.INVITED, None, until),
            ],
        )
    assert updated == 2 and len(captured) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.agreement_status, first.last_accepted_on, first.invited_until) == (
        AgreementStatus.ATTESTED,
        datetime.date(2026, 1, 15),
        None,
    )
    assert (second.agreement_status, second.last_accepted_on, second.invited_until) == (
        AgreementStatus.INVITED,
        None,
        until,
    )
    assert Relationship.objects.get(pk=untouched.pk).agreement_status == untouched.agreement_status


def test_nothing_to_write_is_no_query(contoso):
    with CaptureQueriesContext(connection) as captured:
        assert update_rows(Relationship, ["agreement_status"], []) == 0
    assert not captured


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite doesn't check lengths")
def test_a_value_too_long_for_its_column_is_refused_not_cut_short(contoso):
    relationship = f.RelationshipFactory(partner=contoso)
    with pytest.raises(DataError), transaction.atomic():
        update_rows(Relationship, ["agreement_status"], [(relationship.pk, "x" * 100)])


def test_rows_are_inserted_with_their_values_and_each_its_own_defaults(contoso):
    """insert_rows: the values as given (COPY on PostgreSQL, bulk_create elsewhere), each row's
    callable defaults called for it (a new tenant id each), nothing built or saved a row."""
    fields = [
        "company_name",
        "domain",
        "country",
        "address_line1",
        "city",
        "postal_code",
        "contact_first_name",
        "contact_last_name",
        "contact_email",
        "contact_phone",
    ]
    rows = [
        (
            f"Firma {n}",
            f"firma{n}.cz",
            "CZ",
            "Náměstí 1",
            "Brno",
            "602 00",
            "Jana",
            "Nová",
            f"j{n}@x.cz",
            phone,
        )
        for n, phone in enumerate(["+420601123456", ""])
    ]
    assert insert_rows(Customer, fields, rows) == 2
    made = list(Customer.objects.order_by("company_name"))
    assert [c.company_name for c in made] == ["Firma 0", "Firma 1"]
    assert [str(c.contact_phone or "") for c in made] == ["+420601123456", ""]
    assert (
        made[0].country.code == "CZ"
        and made[0].language == Customer._meta.get_field("language").get_default()
    )
    assert made[0].tenant_id != made[1].tenant_id


def test_nothing_to_insert_is_no_query():
    with CaptureQueriesContext(connection) as captured:
        assert insert_rows(Customer, ["company_name"], []) == 0
    assert not captured


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_the_values_copied_are_those_each_field_would_save(contoso, sam, acme, template_cz):
    """copy_values skips a field's preparation only where it would change nothing: for every
    column of a record (text, ids, UUIDs, dates, a time, a phone number, an address, JSON) the
    value sent is the field's own get_db_prep_save."""
    record = f.attest(acme, sam, phone="+420601123456")
    record.ip_address, record.signatory = "192.0.2.1", {"attestationId": "x"}
    fields = [field for field in Acceptance._meta.concrete_fields]
    values = [getattr(record, field.attname) for field in fields]
    sent = copy_values(copy_plan(fields), values, connection)
    prepared = [
        field.get_db_prep_save(v, connection) for field, v in zip(fields, values, strict=True)
    ]

    def comparable(value):  # psycopg's JSON wrapper compares by identity: its content
        return getattr(value, "obj", value)

    assert [comparable(v) for v in sent] == [comparable(v) for v in prepared]
    assert [type(v) for v in sent] == [type(v) for v in prepared]
