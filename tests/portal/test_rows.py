"""portal.rows: written-out SELECTs whose rows become the instances a queryset would give, and
statements sent together (one round trip on PostgreSQL), in order."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from customers.models import Customer, Relationship
from portal.rows import Columns, run_together
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_row_becomes_the_instance_the_orm_gives(alice):
    relationship = f.RelationshipFactory(partner=alice.partner)
    columns = Columns(Customer, "c")
    [[row]] = run_together(
        connection,
        [
            (
                f"SELECT {columns.sql} FROM {Customer._meta.db_table} c WHERE c.id = %s",
                [relationship.customer_id],
            )
        ],
    )
    built = columns.build(row, connection)
    loaded = Customer.objects.get(pk=relationship.customer_id)
    for field in Customer._meta.concrete_fields:
        assert getattr(built, field.attname) == getattr(loaded, field.attname), field.name
    # The ORM's converters applied (SQLite keeps a datetime as text, naive).
    assert built.created_at.tzinfo is not None
    assert built.country.name == loaded.country.name
    assert not built._state.adding and built._state.db == connection.alias


def test_some_columns_leave_the_others_deferred(alice):
    relationship = f.RelationshipFactory(partner=alice.partner)
    columns = Columns(Relationship, "r", ["id", "agreement_status"])
    [[row]] = run_together(
        connection,
        [
            (
                f"SELECT {columns.sql} FROM {Relationship._meta.db_table} r WHERE r.id = %s",
                [relationship.pk],
            )
        ],
    )
    built = columns.build(row, connection)
    assert built.agreement_status == relationship.agreement_status
    assert built.get_deferred_fields() >= {"customer_id", "partner_id"}


def test_statements_sent_together_answer_each_in_order(alice):
    first, second = (f.RelationshipFactory(partner=alice.partner) for _ in range(2))
    table = Relationship._meta.db_table
    results = run_together(
        connection,
        [
            (f"SELECT id FROM {table} WHERE id = %s", [second.pk]),
            (f"SELECT id FROM {table} WHERE id = %s", [-1]),
            (f"SELECT id FROM {table} WHERE id IN (%s, %s) ORDER BY id", [first.pk, second.pk]),
        ],
    )
    assert results == [[(second.pk,)], [], [(first.pk,), (second.pk,)]]


def test_a_failing_statement_raises_as_django_wraps_database_errors(alice):
    with pytest.raises(DatabaseError), transaction.atomic():
        run_together(connection, [("SELECT 1", []), ("SELECT * FROM no_such_table", [])])
    # The connection goes on.
    assert run_together(connection, [("SELECT 2", [])]) == [[(2,)]]


def test_on_postgresql_the_statements_go_as_one_query(alice):
    """One round trip, parameters filled in on the client (a pattern's % stays a value)."""
    relationship = f.RelationshipFactory(partner=alice.partner, customer__company_name="Zelenina")
    table = Relationship._meta.db_table
    with CaptureQueriesContext(connection) as captured:
        results = run_together(
            connection,
            [
                (f"SELECT id FROM {table} WHERE search_text LIKE %s", ["%zelenin%"]),
                ("SELECT %s", ["100%"]),
            ],
        )
    assert results == [[(relationship.pk,)], [("100%",)]]
    assert len(captured) == (1 if connection.vendor == "postgresql" else 2)
