"""The one lock order for writes to a customer's evidence and agreement status.

Every path that records acceptance or changes a relationship's status (attesting on the web,
in the API or at the order prompt, placing an order, accepting or revoking an invitation)
takes its locks in this order, and only through these helpers:

1. the customer's row (``lock_customer``), before anything else of that customer's;
2. then that customer's own rows as needed (relationships, invitations, orders);
3. the evidence chain head last (``agreements.models.lock_evidence_chain``), held only by
   the append itself.

A transaction that holds the chain head never waits for a customer, and two transactions
for one customer queue on its row before either holds anything else, so they can't deadlock.
Several customers in one transaction are locked in primary-key order (``lock_customers``):
a bulk job's batch (``agreements.services.record_acceptances``) takes its job's row, then all
the batch's customers at once, then the chain head once for the whole batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.db import OperationalError, connection, transaction

from customers.models import Customer
from portal.rows import Prepared, Statement, run_together

P = ParamSpec("P")
R = TypeVar("R")

# PostgreSQL's deadlock_detected and serialization_failure.
RETRYABLE_SQLSTATES = {"40P01", "40001"}


def lock_customer(customer: Customer | int) -> None:
    """Step 1 of the lock order. NO KEY UPDATE: rows that merely point at the customer
    (orders, invitations, records) can still be inserted meanwhile."""
    pk = customer.pk if isinstance(customer, Customer) else customer
    lock_customers([pk])


def lock_customers(pks: Iterable[int]) -> None:
    statement = customers_lock_statement(pks)
    if statement is not None:
        run_together(connection, [statement])


# Written out, not built by the ORM: every write to a customer's evidence takes it first.
_LOCK = Prepared(
    "customers_lock",
    f"SELECT id FROM {Customer._meta.db_table} WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE",
)


def customers_lock_statement(pks: Iterable[int]) -> Statement | None:
    """The statement ``lock_customers`` runs, for a caller that sends it together with what it
    reads under the lock (agreements.ahead); None where there is nothing to lock (SQLite runs
    one writer at a time)."""
    if connection.vendor != "postgresql":
        return None
    return _LOCK(sorted(set(pks)))


def is_retryable(error: BaseException) -> bool:
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) in RETRYABLE_SQLSTATES


def retry_on_conflict(function: Callable[P, R]) -> Callable[P, R]:
    """Run ``function`` in a transaction (a savepoint inside an outer one) and, when the
    database reports a deadlock or a serialization failure, roll it back and run it once more.
    Rolling back to the savepoint releases the locks it took, so the retry starts clean."""

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with transaction.atomic():
                return function(*args, **kwargs)
        except OperationalError as error:
            if not is_retryable(error):
                raise
        with transaction.atomic():
            return function(*args, **kwargs)

    return wrapper
