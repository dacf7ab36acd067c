"""A deadlock or serialization failure the database still reports is retried once, inside
the service (customers.locks.retry_on_conflict), never answered with a 500."""

import pytest
from django.db import OperationalError

from customers.locks import retry_on_conflict

pytestmark = pytest.mark.django_db


class Deadlock(Exception):
    sqlstate = "40P01"


class SerializationFailure(Exception):
    sqlstate = "40001"


@pytest.mark.parametrize("cause", [Deadlock, SerializationFailure])
def test_a_conflict_the_database_reports_is_retried_once(cause):
    calls = []

    @retry_on_conflict
    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("conflict") from cause()
        return "done"

    assert flaky() == "done"
    assert len(calls) == 2


def test_a_second_conflict_is_not_hidden():
    @retry_on_conflict
    def always():
        raise OperationalError("deadlock detected") from Deadlock()

    with pytest.raises(OperationalError):
        always()


def test_other_database_errors_are_not_retried():
    calls = []

    @retry_on_conflict
    def broken():
        calls.append(1)
        raise OperationalError("connection lost")

    with pytest.raises(OperationalError):
        broken()
    assert len(calls) == 1
