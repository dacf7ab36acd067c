"""Written-out SELECTs whose rows become model instances as the ORM's would.

A hot path (recording an acceptance) reads a few rows of several models in statements written
out once, rather than built and compiled by the ORM on every call, and may send them together
(``run_together``). ``Columns`` names one model's columns in such a statement and turns their
values into an instance with the ORM's own converters (an aware datetime on SQLite, a
PhoneNumber, a CountryField value), so what the caller gets is what a queryset would give.

On PostgreSQL a ``Prepared`` statement is parsed and planned once a connection, then only
executed: planning the join of a relationship and its customer took ten times as long as
running it.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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
        # In the model's order whatever the order asked: Model.from_db reads the values so.
        wanted = {meta.get_field(name) for name in names} if names else None
        self.fields = [field for field in meta.concrete_fields if wanted is None or field in wanted]
        self.attnames = [field.attname for field in self.fields]
        # Quoted as standard SQL quotes a name (PostgreSQL and SQLite alike): a column may be
        # named like a keyword.
        self.sql = ", ".join(f'{alias}."{field.column}"' for field in self.fields)
        self.width = len(self.fields)
        self._converters: dict[str, list[tuple[int, list[Callable], Any]]] = {}

    def converters(self, connection: BaseDatabaseWrapper) -> list[tuple[int, list[Callable], Any]]:
        """As the ORM's compiler finds them (SQLCompiler.get_converters), once a database."""
        found = self._converters.get(connection.alias)
        if found is None:
            found = []
            for index, field in enumerate(self.fields):
                column = field.get_col(self.alias)
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


class Prepared:
    """A written-out statement (``%s`` for each parameter) that PostgreSQL parses and plans
    once a connection (PREPARE, sent with its first EXECUTE) and then only executes: for the
    hot path's small lookups planning cost several times what running them did. Elsewhere it
    is the statement as written. ``name`` is unique in the process."""

    _names: set[str] = set()

    def __init__(self, name: str, sql: str) -> None:
        if name in Prepared._names:
            raise ValueError(f"A prepared statement is named {name} already.")
        Prepared._names.add(name)
        self.name = name
        self.sql = sql
        pieces = _PLACEHOLDER.split(sql)
        self.arity = len(pieces) - 1
        # PREPARE numbers its parameters.
        self.body = "".join(
            piece + (f"${number}" if number <= self.arity else "")
            for number, piece in enumerate(pieces, start=1)
        )

    def __call__(self, *params: Any) -> tuple[Prepared, list[Any]]:
        """The statement with these parameters, for ``run_together``."""
        if len(params) != self.arity:
            raise TypeError(f"{self.name} takes {self.arity} parameters, not {len(params)}.")
        return self, list(params)


_PLACEHOLDER = re.compile(r"(?<!%)%s")

Statement = tuple[str | Prepared, Sequence[Any]]


@dataclass
class _Session:
    """What one PostgreSQL session has prepared. After a failure it may hold some of a batch's
    PREPAREs (a rollback doesn't undo them) and not others, or (a session reset under it) none:
    the next ones take names of a new generation instead of guessing which."""

    generation: int = 0
    prepared: set[str] = field(default_factory=set)


_sessions: weakref.WeakKeyDictionary[Any, _Session] = weakref.WeakKeyDictionary()


def _one_query(connection: BaseDatabaseWrapper) -> bool:
    """Whether statements can go as one query string: PostgreSQL with psycopg's client-side
    binding (Django's default), which fills in the parameters before sending."""
    return (
        connection.vendor == "postgresql"
        and connection.settings_dict["OPTIONS"].get("server_side_binding") is not True
    )


def run_together(
    connection: BaseDatabaseWrapper, statements: Sequence[Statement]
) -> list[list[tuple]]:
    """Run the statements in order and give each one's rows. On PostgreSQL they go as one
    query string, in one round trip: the server runs each in turn, each with its own snapshot
    (READ COMMITTED takes one a statement), so a lock the first takes is held before the next
    reads. (psycopg's pipeline mode does the same in several times the CPU.) Elsewhere, one by
    one."""
    connection.ensure_connection()
    if not _one_query(connection):
        results = []
        for statement, values in statements:
            sql = statement.sql if isinstance(statement, Prepared) else statement
            with connection.cursor() as cursor:
                cursor.execute(sql, values)
                results.append(cursor.fetchall())
        return results
    session = _sessions.setdefault(connection.connection, _Session())
    preparing: list[str] = []
    sql_parts: list[str] = []
    params: list[Any] = []
    for statement, each in statements:
        if isinstance(statement, Prepared):
            name = f"{statement.name}_{session.generation}"
            if name not in session.prepared and name not in preparing:
                preparing.append(name)
                sql_parts.insert(len(preparing) - 1, f"PREPARE {name} AS {statement.body}")
            arguments = ", ".join(["%s"] * statement.arity)
            sql_parts.append(f"EXECUTE {name}({arguments})" if arguments else f"EXECUTE {name}")
        else:
            sql_parts.append(statement)
        params.extend(each)
    try:
        with connection.cursor() as cursor:
            # Wrapped as Django wraps any error (so a deadlock is an OperationalError whose
            # cause names its SQLSTATE, customers.locks).
            cursor.execute(";\n".join(sql_parts), params)
            raw = cursor.cursor
            results = [_rows_of(raw)]
            while raw.nextset():
                results.append(_rows_of(raw))
    except Exception:
        if any(isinstance(statement, Prepared) for statement, _each in statements):
            # Some of its PREPAREs may be done, or the session may have lost what it had
            # prepared: the next ones are prepared afresh, under new names.
            session.generation += 1
            session.prepared.clear()
        raise
    session.prepared.update(preparing)
    # The PREPAREs come first and answer no rows.
    return results[len(preparing) :]


def _rows_of(cursor: psycopg.Cursor) -> list[tuple]:
    """The current result's rows; none for a statement that returns none (asked of the result
    itself: ``cursor.description`` would build a Column for every column of every result)."""
    result = cursor.pgresult
    if result is None or result.status != psycopg.pq.ExecStatus.TUPLES_OK:
        return []
    return cursor.fetchall()
