"""portal.batch_updates.update_rows: each row gets its own values in one statement, as a save
would write them (dates, nulls, foreign keys, text), on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime

import pytest
from django.db import DataError, connection, transaction
from django.test.utils import CaptureQueriesContext

from customers.models import AgreementStatus, Relationship
from portal.batch_updates import update_rows
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
