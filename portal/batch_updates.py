"""Many rows, each with its own values, inserted or updated in one statement a batch.

Django's ``bulk_update`` writes ``SET col = CASE WHEN id = 1 THEN … WHEN id = 2 THEN … END``:
building that expression costs milliseconds a row in Python, and the database compares every
row with every branch. Here the new values are joined by primary key in one pass
(``UPDATE … FROM``): on PostgreSQL from one JSON parameter (``jsonb_to_recordset``), on SQLite
from a ``VALUES`` list; each value converted by its field as a save would. Like
``bulk_update`` it skips ``save()`` and signals; database triggers still run.

``insert_rows`` inserts many rows given as plain values (no model built a row): on PostgreSQL
by ``COPY``, each value sent as is where its field would send it unchanged (``copy_plan``);
elsewhere by ``bulk_create``.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model


def update_rows(model: type[Model], fields: Sequence[str], rows: Sequence[Sequence]) -> int:
    """Write each row's new values, ``(pk, value of fields[0], value of fields[1], …)``, to
    the model's row with that primary key; the number of rows updated. Values are what the
    model's fields hold (a foreign key's: its id)."""
    if not rows:
        return 0
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    pk = meta.pk
    assert pk is not None
    columns: list[Field] = [pk, *(_concrete(meta.get_field(name)) for name in fields)]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    names = [quote(field.column) for field in columns]
    assignments = ", ".join(f"{name} = v.{name}" for name in names[1:])
    where = f"WHERE {table}.{names[0]} = v.{names[0]}"
    prepared = [
        [
            field.get_db_prep_save(value, connection)
            for field, value in zip(columns, row, strict=True)
        ]
        for row in rows
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One parameter, the rows as a JSON array: a statement of thousands of parameters
            # spends longer being quoted and split in Python than running.
            typed = ", ".join(
                f"{name} {_value_type(field, connection)}"
                for name, field in zip(names, columns, strict=True)
            )
            keys = [field.column for field in columns]
            body = json.dumps([dict(zip(keys, row, strict=True)) for row in prepared], default=str)
            cursor.execute(
                f"UPDATE {table} SET {assignments} "
                f"FROM jsonb_to_recordset(%s::jsonb) AS v({typed}) {where}",
                [body],
            )
            return cursor.rowcount
        # SQLite names a VALUES list's columns column1, column2…: a select renames them.
        renamed = ", ".join(f"column{i} AS {name}" for i, name in enumerate(names, 1))
        placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
        size = max(1, connection.ops.bulk_batch_size(columns, rows))
        updated = 0
        for start in range(0, len(prepared), size):
            batch = prepared[start : start + size]
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (SELECT {renamed} "
                f"FROM (VALUES {', '.join([placeholders] * len(batch))})) AS v {where}",
                [value for row in batch for value in row],
            )
            updated += cursor.rowcount
    return updated


def _concrete(field: object) -> Field:
    if not isinstance(field, Field) or not field.concrete:
        raise ValueError(f"{field} is no column of its own.")
    return field


def _value_type(field: Field, connection: BaseDatabaseWrapper) -> str:
    """The type a value is read as on PostgreSQL: text for text (assigning it checks the
    column's length, where reading it as varchar(n) might cut it short), else the column's."""
    db_type = field.db_type(connection) or "text"
    return "text" if db_type.startswith(("varchar", "text", "char")) else db_type


# Field classes whose value PostgreSQL is sent as is when it already has this Python type
# (their get_db_prep_save returns such a value unchanged); any other value is prepared.
_SENT_AS_IS: dict[type[Field], type] = {
    # (An integer column's value is wrapped in its psycopg type; an id's is not.)
    models.AutoField: int,
    models.BigAutoField: int,
    models.CharField: str,
    models.EmailField: str,
    models.TextField: str,
    models.UUIDField: uuid.UUID,
    models.DateField: datetime.date,
}

CopyPlan = list[tuple[Field, type | None]]


def copy_plan(fields: Sequence[Field]) -> CopyPlan:
    """For PostgreSQL's COPY: each field with the Python type its values are sent as is in (a
    foreign key: its target's), or None (every value prepared by the field)."""
    plan: CopyPlan = []
    for field in fields:
        target = field.target_field if isinstance(field, models.ForeignKey) else field
        plan.append((field, _SENT_AS_IS.get(type(target))))
    return plan


def copy_values(
    plan: CopyPlan, values: Sequence[Any], connection: BaseDatabaseWrapper
) -> list[Any]:
    """``values`` (what the plan's fields hold) as each field's ``get_db_prep_save`` makes them
    for PostgreSQL, without its chain of calls for a value that needs nothing (most of them)."""
    return [
        value
        if sent_as_is is not None and type(value) is sent_as_is
        else field.get_db_prep_save(value, connection)
        for (field, sent_as_is), value in zip(plan, values, strict=True)
    ]


def insert_rows(model: type[Model], fields: Sequence[str], rows: Sequence[Sequence]) -> int:
    """Insert ``rows``, each the values of ``fields`` in order (what the model's fields hold: a
    foreign key's id), with their defaults for the fields not named; the number inserted. No
    primary keys come back."""
    if not rows:
        return 0
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    if connection.vendor != "postgresql":
        names = [_concrete(meta.get_field(name)).attname for name in fields]
        model._base_manager.using(connection.alias).bulk_create(
            [model(**dict(zip(names, row, strict=True))) for row in rows], batch_size=1000
        )
        return len(rows)
    named = [_concrete(meta.get_field(name)) for name in fields]
    # Fields not named take their defaults, as a save would give them: a callable default
    # (a new UUID) is called for each row.
    defaulted = [
        field for field in meta.concrete_fields if field not in named and not field.primary_key
    ]
    columns = [*named, *defaulted]
    plan = copy_plan(columns)
    quote = connection.ops.quote_name
    column_list = ", ".join(quote(field.column) for field in columns)
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY {quote(meta.db_table)} ({column_list}) FROM STDIN") as copy:
            for row in rows:
                values = [*row, *(field.get_default() for field in defaulted)]
                copy.write_row(copy_values(plan, values, connection))
    return len(rows)
