"""Migrating a database made by the previous main (demo loaded) fills the copies the customers
list searches, sorts and shows: each relationship's folded search text and name are its
customer's, and its last acceptance is what the status refresh would store."""

import os
import sqlite3

import pytest
from django.conf import settings

from tests.portal.test_previous_main_migrates_forward import (
    environment,
    last_line_json,
    manage,
    psql,
    read_dump,
    with_database,
)

CHECK = """
import json
from customers.models import Relationship
from customers.status import refresh_agreement_status

wrong, relationships = [], list(Relationship.objects.select_related("customer"))
for relationship in relationships:
    copies = relationship.customer.list_copies()
    if (relationship.search_text, relationship.customer_sort_name) != (
        copies["search_text"], copies["customer_sort_name"]
    ):
        wrong.append(["copies", relationship.pk])
stored = {r.pk: r.last_accepted_on for r in relationships}
for customer in {r.customer for r in relationships}:
    refresh_agreement_status(customer)
for relationship in Relationship.objects.all():
    if relationship.last_accepted_on != stored[relationship.pk]:
        wrong.append(["last accepted", relationship.pk])
print(json.dumps({
    "wrong": wrong,
    "relationships": len(relationships),
    "accepted": sum(value is not None for value in stored.values()),
}))
"""


def assert_copies_filled(env):
    manage("migrate", "--noinput", env=env)
    found = last_line_json(manage("shell", "--no-imports", "-c", CHECK, env=env))
    assert found["relationships"] > 0
    assert found["accepted"] > 0, "the demo has acceptances on record"
    assert found["wrong"] == []


def test_the_list_copies_are_filled_when_migrated_on_sqlite(tmp_path):
    database = tmp_path / "previous-main.sqlite3"
    connection = sqlite3.connect(database)
    connection.executescript(read_dump("demo-sqlite.sql.gz"))
    connection.close()
    assert_copies_filled(environment(f"sqlite:///{database}", tmp_path))


@pytest.mark.postgres
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL (DATABASE_URL=postgres://...)",
)
def test_the_list_copies_are_filled_when_migrated_on_postgresql(tmp_path):
    server = os.environ["DATABASE_URL"]
    name = f"list_copies_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    maintenance = with_database(server, "postgres")
    psql(maintenance, "-c", f'CREATE DATABASE "{name}"')
    try:
        psql(with_database(server, name), "-f", "-", input=read_dump("demo-postgres.sql.gz"))
        assert_copies_filled(environment(with_database(server, name), tmp_path))
    finally:
        psql(maintenance, "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
