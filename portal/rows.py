"""Written-out SELECTs whose rows become model instances as the ORM's would.

A hot path (recording an acceptance) reads a few rows of several models in statements written
out once, rather than built and compiled by the ORM on every call, and may send them together
(``run_together``). ``Columns`` names one model's columns in such a statement and turns their
values into an instance with the ORM's own converters (an aware datetime on SQLite, a
PhoneNumber, a CountryField value), so what the caller gets is what a queryset would give.

On PostgreSQL a ``Prepared`` statement is parsed and planned once a connection, then only
executed: planning the join of a relationship and its customer took ten times as long as
running it. A statement sent ``Later`` is read when first needed, and PostgreSQL runs it
meanwhile: a search's list page renders its layout while the matches are found.
"""

from __future__ import annotations

import re
import sys
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import psycopg
from django.core.signals import request_finished
from django.db import connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import signals
from django.db.models.base import ModelState

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
        model = self.model
        if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
            return model.from_db(connection.alias, self.attnames, values)
        # What Model.from_db makes, without Model.__init__'s pass over every field (a list
        # page builds fifty instances): the values read, by attribute name; a column not read
        # is deferred, as the ORM's only() leaves it (absent, loaded when first used).
        instance = model.__new__(model)
        instance.__dict__.update(zip(self.attnames, values, strict=True))
        state = instance._state = ModelState()
        state.adding, state.db = False, connection.alias
        return instance


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


# Where a connection keeps its statement on its way (Later): one at a time.
_LATER = "_portal_rows_later"


class Later:
    """One SELECT sent now whose rows are read when first asked for (``rows``).

    On PostgreSQL it goes out at once in psycopg's pipeline mode, and the server runs it while
    Python goes on: a search's list page renders its layout and filters meanwhile, its matches
    being found. Nothing else ever runs in pipeline mode: any other statement on the
    connection first waits for this one (an execute wrapper), and so does the end of the
    request (``request_finished``), whether or not anyone read it. Elsewhere it runs when its
    rows are first asked for.
    """

    def __init__(self, connection: BaseDatabaseWrapper, sql: str, params: Sequence[Any]) -> None:
        self.connection = connection
        self.sql, self.params = sql, list(params)
        self._rows: list[tuple] | None = None
        self._error: BaseException | None = None
        self._pipeline: psycopg.Pipeline | None = None
        if connection.vendor != "postgresql":
            return
        if (earlier := getattr(connection, _LATER, None)) is not None:
            earlier.finish()
        cursor = connection.cursor()  # connects (and checks the connection's health) first
        pipeline = connection.connection.pipeline()
        pipeline.__enter__()
        try:
            cursor.execute(self.sql, self.params)
        except BaseException:
            pipeline.__exit__(*sys.exc_info())
            cursor.close()
            raise
        self._cursor, self._pipeline = cursor, pipeline
        setattr(connection, _LATER, self)
        # First in line, so that a wrapper installed around this (connection.execute_wrapper
        # pops the last one when its block ends) is taken off as it was put on.
        connection.execute_wrappers.insert(0, self._before_any_other)

    def _before_any_other(self, execute, sql, params, many, context):
        self.finish()
        return execute(sql, params, many, context)

    def finish(self) -> None:
        """Wait for the rows and leave pipeline mode (keeping any error for ``rows``)."""
        pipeline, self._pipeline = self._pipeline, None
        if pipeline is None:
            return
        connection = self.connection
        if self._before_any_other in connection.execute_wrappers:
            connection.execute_wrappers.remove(self._before_any_other)
        if getattr(connection, _LATER, None) is self:
            delattr(connection, _LATER)
        try:
            # Wrapped as Django wraps any error.
            with connection.wrap_database_errors:
                try:
                    rows = self._cursor.fetchall()
                except BaseException:
                    pipeline.__exit__(*sys.exc_info())
                    raise
                pipeline.__exit__(None, None, None)
            self._rows = rows
        except Exception as error:
            self._error = error
        finally:
            self._cursor.close()

    def rows(self) -> list[tuple]:
        if self.connection.vendor != "postgresql" and self._rows is None:
            with self.connection.cursor() as cursor:
                cursor.execute(self.sql, self.params)
                self._rows = cursor.fetchall()
        self.finish()
        if self._error is not None:
            raise self._error
        assert self._rows is not None
        return self._rows


def _finish_later(**kwargs: Any) -> None:
    """At the end of a request, every statement still on its way on this thread's connections
    is waited for, so that none is left in pipeline mode."""
    for connection in connections.all(initialized_only=True):
        if (later := getattr(connection, _LATER, None)) is not None:
            later.finish()


request_finished.connect(_finish_later, dispatch_uid="portal.rows.finish_later")
