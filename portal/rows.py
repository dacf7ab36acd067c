"""Written-out SELECTs whose rows become model instances as the ORM's would.

A hot path (recording an acceptance) reads a few rows of several models in statements written
out once, rather than built and compiled by the ORM on every call, and may send them together
(``run_together``). ``Columns`` names one model's columns in such a statement and turns their
values into an instance with the ORM's own converters (an aware datetime on SQLite, a
PhoneNumber, a CountryField value), so what the caller gets is what a queryset would give.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import psycopg
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

M = TypeVar("M", bound=models.Model)


class Columns(Generic[M]):
    """Some of ``model``'s columns (all concrete ones by default) under the table alias
    ``alias``: ``sql`` for the select list, ``build`` for an instance from their values."""

    def __init__(self, model: type[M], alias: str, names: Sequence[str] | None = None) -> None:
        meta = model._meta
        self.model = model
        self.alias = alias
        self.fields = (
            [meta.get_field(name) for name in names] if names else list(meta.concrete_fields)
        )
        self.attnames = [field.attname for field in self.fields]  # type: ignore[union-attr]
        # Quoted as standard SQL quotes a name (PostgreSQL and SQLite alike): a column may be
        # named like a keyword.
        self.sql = ", ".join(f'{alias}."{field.column}"' for field in self.fields)  # type: ignore[union-attr]
        self.width = len(self.fields)
        self._converters: dict[str, list[tuple[int, list[Callable], Any]]] = {}

    def converters(self, connection: BaseDatabaseWrapper) -> list[tuple[int, list[Callable], Any]]:
        """As the ORM's compiler finds them (SQLCompiler.get_converters), once a database."""
        found = self._converters.get(connection.alias)
        if found is None:
            found = []
            for index, field in enumerate(self.fields):
                column = field.get_col(self.alias)  # type: ignore[union-attr]
                each = connection.ops.get_db_converters(column) + column.get_db_converters(
                    connection
                )
                if each:
                    found.append((index, each, column))
            self._converters[connection.alias] = found
        return found

    def build(self, values: Sequence[Any], connection: BaseDatabaseWrapper) -> M:
        values = list(values)
        for index, each, column in self.converters(connection):
            value = values[index]
            for converter in each:
                value = converter(value, column, connection)
            values[index] = value
        return self.model.from_db(connection.alias, self.attnames, values)


def _one_query(connection: BaseDatabaseWrapper) -> bool:
    """Whether statements can go as one query string: PostgreSQL with psycopg's client-side
    binding (Django's default), which fills in the parameters before sending."""
    return (
        connection.vendor == "postgresql"
        and connection.settings_dict["OPTIONS"].get("server_side_binding") is not True
    )


def run_together(
    connection: BaseDatabaseWrapper, statements: Sequence[tuple[str, Sequence[Any]]]
) -> list[list[tuple]]:
    """Run the statements in order and give each one's rows. On PostgreSQL they go as one
    query string, in one round trip: the server runs each in turn, each with its own snapshot
    (READ COMMITTED takes one a statement), so a lock the first takes is held before the next
    reads. (psycopg's pipeline mode does the same in several times the CPU.) Elsewhere, one by
    one."""
    connection.ensure_connection()
    if not _one_query(connection):
        results = []
        for sql, params in statements:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                results.append(cursor.fetchall())
        return results
    sql = ";\n".join(statement for statement, _params in statements)
    params = [param for _statement, each in statements for param in each]
    with connection.cursor() as cursor:
        # Wrapped as Django wraps any error (so a deadlock is an OperationalError whose cause
        # names its SQLSTATE, customers.locks).
        cursor.execute(sql, params)
        raw = cursor.cursor
        results = [_rows_of(raw)]
        while raw.nextset():
            results.append(_rows_of(raw))
    return results


def _rows_of(cursor: psycopg.Cursor) -> list[tuple]:
    """The current result's rows; none for a statement that returns none (asked of the result
    itself: ``cursor.description`` would build a Column for every column of every result)."""
    result = cursor.pgresult
    if result is None or result.status != psycopg.pq.ExecStatus.TUPLES_OK:
        return []
    return cursor.fetchall()
