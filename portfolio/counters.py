"""How the portfolio's counters are kept: triggers that append to the ledgers, a rebuild
from the live rows, and compaction.

Why triggers: the counters must be exact whatever writes a relationship or an acceptance —
``customers.status.refresh_agreement_status``, ``Relationship.objects.create``, the admin,
a bulk load (the benchmark COPYs a million rows), a data migration. A trigger runs in the
writing statement's transaction, so the ledger commits or rolls back with the change, and
it only ever *inserts*: concurrent attestations never wait on each other's counter row.

On PostgreSQL the triggers are per statement, over its transition tables, so a bulk insert
adds one row per (partner, status), not one per relationship; an UPDATE that changes no
status (a customer's name copied to its relationships) adds nothing. SQLite has only row
triggers, which is fine for the sizes SQLite serves.

SQLite rebuilds a table to alter it (create, copy, drop, rename), and the drop takes the
table's triggers with it; ``ensure_triggers`` (run after every ``migrate``) puts them back and
recounts when any was missing, and tests/portfolio checks they exist after all migrations.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection as default_connection
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

# Read more ledger rows than this for one dashboard and they are compacted then and there.
COMPACT_AFTER = 500
# The "until" that compaction gives every invited row whose day has passed (all lapsed).
LAPSED_DAY = datetime.date(1, 1, 1)

TRIGGERS = (
    "portfolio_relationship_insert",
    "portfolio_relationship_update",
    "portfolio_relationship_delete",
    "portfolio_acceptance_insert",
)

# The ledger's "until": for an invited relationship, the day (UTC) its invitation lapses.
_POSTGRES_UNTIL = "CASE WHEN agreement_status = 'invited' THEN (invited_until AT TIME ZONE 'UTC')::date END"


def _sqlite_until(row: str) -> str:
    return f"CASE WHEN {row}.agreement_status = 'invited' THEN date({row}.invited_until) END"


_POSTGRES_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION portfolio_status_deltas() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO portfolio_statusdelta (partner_id, status, until, delta)
        SELECT partner_id, agreement_status, {until}, count(*) FROM new_rows GROUP BY 1, 2, 3;
      ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO portfolio_statusdelta (partner_id, status, until, delta)
        SELECT partner_id, agreement_status, {until}, -count(*) FROM old_rows GROUP BY 1, 2, 3;
      ELSE
        INSERT INTO portfolio_statusdelta (partner_id, status, until, delta)
        SELECT partner_id, status, until, sum(delta) FROM (
          SELECT partner_id, agreement_status AS status, {until} AS until, -1 AS delta
          FROM old_rows
          UNION ALL
          SELECT partner_id, agreement_status, {until}, 1 FROM new_rows
        ) AS changes
        GROUP BY 1, 2, 3 HAVING sum(delta) <> 0;
      END IF;
      RETURN NULL;
    END $$;
    """,
    """
    CREATE OR REPLACE FUNCTION portfolio_acceptance_tally() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO portfolio_acceptancetally (partner_id, day, count)
      SELECT partner_id, (recorded_at AT TIME ZONE 'UTC')::date, count(*)
      FROM new_rows GROUP BY 1, 2;
      RETURN NULL;
    END $$;
    """,
    "DROP TRIGGER IF EXISTS portfolio_relationship_insert ON customers_relationship",
    "DROP TRIGGER IF EXISTS portfolio_relationship_update ON customers_relationship",
    "DROP TRIGGER IF EXISTS portfolio_relationship_delete ON customers_relationship",
    "DROP TRIGGER IF EXISTS portfolio_acceptance_insert ON agreements_acceptance",
    """
    CREATE TRIGGER portfolio_relationship_insert AFTER INSERT ON customers_relationship
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION portfolio_status_deltas()
    """,
    """
    CREATE TRIGGER portfolio_relationship_update AFTER UPDATE ON customers_relationship
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION portfolio_status_deltas()
    """,
    """
    CREATE TRIGGER portfolio_relationship_delete AFTER DELETE ON customers_relationship
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION portfolio_status_deltas()
    """,
    """
    CREATE TRIGGER portfolio_acceptance_insert AFTER INSERT ON agreements_acceptance
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION portfolio_acceptance_tally()
    """,
]

_SQLITE_INSTALL = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS),
    """
    CREATE TRIGGER portfolio_relationship_insert AFTER INSERT ON customers_relationship
    BEGIN
      INSERT INTO portfolio_statusdelta (partner_id, status, until, delta)
      VALUES (NEW.partner_id, NEW.agreement_status, {new_until}, 1);
    END
    """,
    """
    CREATE TRIGGER portfolio_relationship_update
    AFTER UPDATE OF agreement_status, partner_id, invited_until ON customers_relationship
    WHEN OLD.agreement_status IS NOT NEW.agreement_status OR OLD.partner_id IS NOT NEW.partner_id
      OR {old_until} IS NOT {new_until}
    BEGIN
      INSERT INTO portfolio_statusdelta (partner_id, status, until, delta)
      VALUES (OLD.partner_id, OLD.agreement_status, {old_until}, -1);
      INSERT INTO portfolio_statusdelta (partner_id, status, until, delta)
      VALUES (NEW.partner_id, NEW.agreement_status, {new_until}, 1);
    END
    """,
    """
    CREATE TRIGGER portfolio_relationship_delete AFTER DELETE ON customers_relationship
    BEGIN
      INSERT INTO portfolio_statusdelta (partner_id, status, until, delta)
      VALUES (OLD.partner_id, OLD.agreement_status, {old_until}, -1);
    END
    """,
    """
    CREATE TRIGGER portfolio_acceptance_insert AFTER INSERT ON agreements_acceptance
    BEGIN
      INSERT INTO portfolio_acceptancetally (partner_id, day, count)
      VALUES (NEW.partner_id, date(NEW.recorded_at), 1);
    END
    """,
]

_POSTGRES_INSTALL = [
    statement.replace("{until}", _POSTGRES_UNTIL) for statement in _POSTGRES_INSTALL
]
_SQLITE_INSTALL = [
    statement.replace("{old_until}", _sqlite_until("OLD")).replace(
        "{new_until}", _sqlite_until("NEW")
    )
    for statement in _SQLITE_INSTALL
]

_POSTGRES_DAY = "(recorded_at AT TIME ZONE 'UTC')::date"
_SQLITE_DAY = "date(recorded_at)"


def install_triggers(connection: BaseDatabaseWrapper) -> None:
    statements = _POSTGRES_INSTALL if connection.vendor == "postgresql" else _SQLITE_INSTALL
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def drop_triggers(connection: BaseDatabaseWrapper) -> None:
    tables = {
        "portfolio_relationship_insert": "customers_relationship",
        "portfolio_relationship_update": "customers_relationship",
        "portfolio_relationship_delete": "customers_relationship",
        "portfolio_acceptance_insert": "agreements_acceptance",
    }
    with connection.cursor() as cursor:
        for name, table in tables.items():
            on = f" ON {table}" if connection.vendor == "postgresql" else ""
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}{on}")


def missing_triggers(connection: BaseDatabaseWrapper) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'portfolio\\_%%' "
                "AND NOT tgisinternal"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'portfolio%%'"
            )
        present = {row[0] for row in cursor.fetchall()}
    return set(TRIGGERS) - present


def rebuild(connection: BaseDatabaseWrapper) -> None:
    """Recount both ledgers from the live rows, with the triggers in place, in one
    transaction; on PostgreSQL the counted tables are locked against writes until it
    commits, so no change lands both in the recount and, through a trigger, in the ledger."""
    day = _POSTGRES_DAY if connection.vendor == "postgresql" else _SQLITE_DAY
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("LOCK TABLE customers_relationship, agreements_acceptance IN SHARE MODE")
        cursor.execute("DELETE FROM portfolio_statusdelta")
        until = _POSTGRES_UNTIL if connection.vendor == "postgresql" else _sqlite_until(
            "customers_relationship"
        )
        cursor.execute(
            "INSERT INTO portfolio_statusdelta (partner_id, status, until, delta) "
            f"SELECT partner_id, agreement_status, {until}, count(*) FROM customers_relationship "
            "GROUP BY 1, 2, 3"
        )
        cursor.execute("DELETE FROM portfolio_acceptancetally")
        cursor.execute(
            "INSERT INTO portfolio_acceptancetally (partner_id, day, count) "
            f"SELECT partner_id, {day}, count(*) FROM agreements_acceptance "
            f"GROUP BY partner_id, {day}"
        )


def ensure_triggers(sender: Any = None, using: str = "default", **kwargs: Any) -> None:
    """After ``migrate``: put back any trigger a table rebuild dropped, then recount."""
    from django.db import connections

    connection = connections[using]
    tables = connection.introspection.table_names()
    if "portfolio_statusdelta" not in tables or "customers_relationship" not in tables:
        return
    if missing_triggers(connection):
        install_triggers(connection)
        rebuild(connection)


def compact(partner_ids: Iterable[int], connection: BaseDatabaseWrapper | None = None) -> None:
    """Fold these partners' ledger rows into one row per key. The rows read are deleted in
    the same statement (DELETE … RETURNING), so a concurrent compaction can't count them
    twice, and writers keep inserting meanwhile: nothing waits on a counter row."""
    connection = connection or default_connection
    ids = [int(pk) for pk in partner_ids]
    if not ids:
        return
    marks = ", ".join(["%s"] * len(ids))
    # Every day before today is as good as any other to an invitation that lapsed then: those
    # rows fold into one, so a partner's ledger compacts to a few rows however old it is.
    today = timezone.now().astimezone(datetime.UTC).date()
    lapsed = (
        f"CASE WHEN until < '{today.isoformat()}' THEN '{LAPSED_DAY.isoformat()}' ELSE until END"
    )
    ledgers = [
        ("portfolio_statusdelta", "status, until", "delta", f"status, {lapsed}"),
        ("portfolio_acceptancetally", "day", "count", "day"),
    ]
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for table, keys, amount, folded in ledgers:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"WITH gone AS (DELETE FROM {table} WHERE partner_id IN ({marks}) "
                    f"RETURNING partner_id, {keys}, {amount}) "
                    f"INSERT INTO {table} (partner_id, {keys}, {amount}) "
                    f"SELECT partner_id, {folded}, sum({amount}) FROM gone "
                    f"GROUP BY 1, {', '.join(str(n + 2) for n in range(keys.count(',') + 1))} "
                    f"HAVING sum({amount}) <> 0",
                    ids,
                )
                continue
            cursor.execute(
                f"DELETE FROM {table} WHERE partner_id IN ({marks}) "
                f"RETURNING partner_id, {folded}, {amount}",
                ids,
            )
            sums: dict[tuple[Any, ...], int] = defaultdict(int)
            for *key, number in cursor.fetchall():
                sums[tuple(key)] += number
            rows = [(*key, n) for key, n in sums.items() if n]
            if rows:
                places = ", ".join(["%s"] * len(rows[0]))
                cursor.executemany(
                    f"INSERT INTO {table} (partner_id, {keys}, {amount}) VALUES ({places})",
                    rows,
                )
