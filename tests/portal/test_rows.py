"""portal.rows: written-out SELECTs whose rows become the instances a queryset would give, and
statements sent together (one round trip on PostgreSQL), in order."""

import pytest
from django.core.signals import request_finished
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from customers.models import Customer, Relationship
from portal.rows import Columns, Later, Prepared, run_together
from tests import factories as f

pytestmark = pytest.mark.django_db


def _built(columns: Columns, pk: int):
    """The instance ``columns`` builds from its model's row ``pk``, read by a written-out SELECT."""
    table = columns.model._meta.db_table
    [[row]] = run_together(
        connection,
        [
            (
                f"SELECT {columns.sql} FROM {table} {columns.alias} WHERE {columns.alias}.id = %s",
                [pk],
            )
        ],
    )
    return columns.build(row, connection)


def test_a_row_becomes_the_instance_the_orm_gives(alice):
    relationship = f.RelationshipFactory(partner=alice.partner)
    columns = Columns(Customer, "c")
    built = _built(columns, relationship.customer_id)
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
    built = _built(columns, relationship.pk)
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


COUNT_OF_PARTNER = Prepared(
    "test_rows_count_of_partner",
    f"SELECT count(*) FROM {Relationship._meta.db_table} WHERE partner_id = %s",
)


def test_a_prepared_statement_is_prepared_once_a_connection_then_only_executed(alice):
    f.RelationshipFactory(partner=alice.partner)
    with CaptureQueriesContext(connection) as captured:
        first = run_together(connection, [COUNT_OF_PARTNER(alice.partner.pk)])
        second = run_together(connection, [COUNT_OF_PARTNER(alice.partner.pk), ("SELECT 2", [])])
    assert first == [[(1,)]] and second == [[(1,)], [(2,)]]
    if connection.vendor == "postgresql":
        # Prepared with its first run (unless an earlier test on this connection did), then
        # executed only; each call one round trip.
        assert len(captured) == 2
        assert "PREPARE" not in captured[1]["sql"]
        assert captured[1]["sql"].startswith("EXECUTE test_rows_count_of_partner_")
    else:
        assert all("EXECUTE" not in query["sql"] for query in captured)


def test_after_a_failure_the_statements_are_prepared_again_under_new_names(alice):
    f.RelationshipFactory(partner=alice.partner)
    fresh = Prepared("test_rows_fresh", "SELECT 1")
    with pytest.raises(DatabaseError), transaction.atomic():
        # The PREPAREs run before the statement that fails: they outlive the rollback.
        run_together(connection, [fresh(), ("SELECT * FROM no_such_table", [])])
    with CaptureQueriesContext(connection) as captured:
        assert run_together(connection, [fresh()]) == [[(1,)]]
    if connection.vendor == "postgresql":
        assert captured[0]["sql"].startswith("PREPARE test_rows_fresh_")
    # The others, prepared before, are prepared again too.
    with CaptureQueriesContext(connection) as captured:
        assert run_together(connection, [COUNT_OF_PARTNER(alice.partner.pk)]) == [[(1,)]]
    if connection.vendor == "postgresql":
        assert captured[0]["sql"].startswith("PREPARE test_rows_count_of_partner_")


def test_a_prepared_statement_checks_its_name_and_its_parameters():
    with pytest.raises(ValueError, match="named"):
        Prepared("test_rows_count_of_partner", "SELECT 1")
    with pytest.raises(TypeError, match="1 parameters, not 2"):
        COUNT_OF_PARTNER(1, 2)


def test_columns_asked_in_any_order_build_the_right_fields(alice):
    relationship = f.RelationshipFactory(partner=alice.partner)
    columns = Columns(Relationship, "r", ["customer_id", "agreement_status", "partner_id", "id"])
    built = _built(columns, relationship.pk)
    assert (built.pk, built.partner_id, built.customer_id) == (
        relationship.pk,
        relationship.partner_id,
        relationship.customer_id,
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_a_session_that_lost_its_prepared_statements_prepares_them_again(alice):
    f.RelationshipFactory(partner=alice.partner)
    assert run_together(connection, [COUNT_OF_PARTNER(alice.partner.pk)]) == [[(1,)]]
    with connection.cursor() as cursor:
        # Only this test's statement: the session's others serve the tests after this one.
        cursor.execute(
            "SELECT name FROM pg_prepared_statements WHERE name LIKE 'test_rows_count_of_partner_%%'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f"DEALLOCATE {name}")
    with pytest.raises(DatabaseError), transaction.atomic():
        run_together(connection, [COUNT_OF_PARTNER(alice.partner.pk)])
    # The failure is the last: the next call prepares it again.
    assert run_together(connection, [COUNT_OF_PARTNER(alice.partner.pk)]) == [[(1,)]]


def test_a_model_with_init_listeners_is_built_through_its_init(alice):
    """The quick build skips Model.__init__; a model something listens to being made still
    goes through it, so the listener hears of each instance."""
    relationship = f.RelationshipFactory(partner=alice.partner)
    heard = []

    def listener(sender, instance, **kwargs):
        heard.append(instance)

    post_init.connect(listener, sender=Customer)
    try:
        columns = Columns(Customer, "c", ["id", "company_name"])
        built = _built(columns, relationship.customer_id)
    finally:
        post_init.disconnect(listener, sender=Customer)
    assert heard == [built]
    assert built.company_name == relationship.customer.company_name
    assert built.get_deferred_fields() >= {"domain", "country"}


def _ids(*relationships):
    table = Relationship._meta.db_table
    marks = ", ".join(["%s"] * len(relationships))
    return f"SELECT id FROM {table} WHERE id IN ({marks}) ORDER BY id", [
        r.pk for r in relationships
    ]


def test_a_statement_sent_later_gives_its_rows_when_asked(alice):
    first, second = (f.RelationshipFactory(partner=alice.partner) for _ in range(2))
    with CaptureQueriesContext(connection) as captured:
        later = Later(connection, *_ids(first, second))
        if connection.vendor == "postgresql":
            # Sent at once, not waited for.
            assert len(captured) == 1
        assert later.rows() == [(first.pk,), (second.pk,)]
        assert later.rows() == [(first.pk,), (second.pk,)]  # read once
    assert len(captured) == 1
    assert not _in_pipeline()


def test_any_other_statement_first_waits_for_the_one_on_its_way(alice):
    first, second = (f.RelationshipFactory(partner=alice.partner) for _ in range(2))
    later = Later(connection, *_ids(first))
    # The ORM, and statements sent together (several in one string, which pipeline mode
    # refuses), run as ever: nothing else runs in pipeline mode.
    assert Relationship.objects.get(pk=second.pk) == second
    assert not _in_pipeline()
    assert run_together(connection, [("SELECT 1", []), ("SELECT 2", [])]) == [[(1,)], [(2,)]]
    assert later.rows() == [(first.pk,)]
    # Another sent later while one is on its way: the first is waited for.
    one, two = Later(connection, *_ids(first)), Later(connection, *_ids(second))
    assert (two.rows(), one.rows()) == ([(second.pk,)], [(first.pk,)])
    assert not _in_pipeline()


def test_the_end_of_the_request_waits_for_a_statement_nobody_read(alice):
    relationship = f.RelationshipFactory(partner=alice.partner)
    later = Later(connection, *_ids(relationship))
    # Django's own receiver would close the test's connection (it is inside a transaction).
    request_finished.disconnect(close_old_connections)
    try:
        request_finished.send(sender=None)
    finally:
        request_finished.connect(close_old_connections)
    assert not _in_pipeline()
    assert later.rows() == [(relationship.pk,)]
    assert run_together(connection, [("SELECT 3", [])]) == [[(3,)]]


def test_a_failing_statement_sent_later_raises_when_its_rows_are_asked(alice):
    with transaction.atomic():
        with pytest.raises(DatabaseError):
            Later(connection, "SELECT * FROM no_such_table", []).rows()
        # The failure is the database's: wrapped as Django wraps it, raised when read.
        assert not _in_pipeline()
        transaction.set_rollback(True)
    assert run_together(connection, [("SELECT 4", [])]) == [[(4,)]]


def _in_pipeline() -> bool:
    if connection.vendor != "postgresql":
        return False
    from psycopg import pq

    return connection.connection.pgconn.pipeline_status != pq.PipelineStatus.OFF


def test_a_wrapper_installed_around_a_statement_on_its_way_comes_off_as_it_went_on(alice):
    relationship = f.RelationshipFactory(partner=alice.partner)
    seen = []

    def watching(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    before = list(connection.execute_wrappers)
    with connection.execute_wrapper(watching):
        later = Later(connection, *_ids(relationship))
    # The block took its own wrapper off, not the pending statement's.
    assert watching not in connection.execute_wrappers
    assert later.rows() == [(relationship.pk,)]
    assert connection.execute_wrappers == before
    assert run_together(connection, [("SELECT 5", [])]) == [[(5,)]]
    assert not _in_pipeline()
