"""Many rows, each with its own new values, updated in one statement a batch.

Django's ``bulk_update`` writes ``SET col = CASE WHEN id = 1 THEN … WHEN id = 2 THEN … END``:
building that expression costs milliseconds a row in Python, and the database compares every
row with every branch. Here the new values are joined by primary key in one pass
(``UPDATE … FROM``): on PostgreSQL from one JSON parameter (``jsonb_to_recordset``), on SQLite
from a ``VALUES`` list; each value converted by its field as a save would. Like
``bulk_update`` it skips ``save()`` and signals; database triggers still run.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.db import connections, router
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
