"""A database made by the previous main, demo loaded, migrates forward: no row lost, evidence intact.

tests/fixtures/previous_main/ holds that database twice, made by main at 5f95e3a (before the
apps were reorganised) with `manage.py migrate` and then `manage.py demo`:

- demo-sqlite.sql.gz: Python's sqlite3 `iterdump()` of it;
- demo-postgres.sql.gz: `pg_dump --no-owner --no-privileges` of it, less its `\\restrict` and
  `\\unrestrict` lines (older psql does not know them).

Each test loads one into a scratch database and runs this checkout's manage.py against it in a
subprocess, so the pytest test database plays no part. The demo's agreement files are not
included: nothing here opens them (verify_evidence recomputes the hashes from the rows).
"""

import gzip
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "previous_main"

# After migrating, Django adds a content type and its permissions for every new model.
MAY_GROW = {"django_content_type", "auth_permission"}

TABLE_ROWS = """
import json
from django.db import connection
with connection.cursor() as cursor:
    rows = {}
    for table in connection.introspection.table_names(cursor):
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        rows[table] = cursor.fetchone()[0]
print(json.dumps(rows))
"""

MODEL_ROWS = """
import json
from django.apps import apps
print(json.dumps({
    model._meta.label: [model._meta.db_table, model._base_manager.count()]
    for model in apps.get_models(include_auto_created=True)
}))
"""


def test_a_database_made_by_the_previous_main_migrates_forward_on_sqlite(tmp_path):
    database = tmp_path / "previous-main.sqlite3"
    connection = sqlite3.connect(database)
    connection.executescript(read_dump("demo-sqlite.sql.gz"))
    connection.close()

    assert_migrates_forward(environment(f"sqlite:///{database}", tmp_path))


@pytest.mark.postgres
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL (DATABASE_URL=postgres://...)",
)
def test_a_database_made_by_the_previous_main_migrates_forward_on_postgresql(tmp_path):
    server = os.environ["DATABASE_URL"]
    name = f"previous_main_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    database = with_database(server, name)
    maintenance = with_database(server, "postgres")
    psql(maintenance, "-c", f'CREATE DATABASE "{name}"')
    try:
        psql(database, "-f", "-", input=read_dump("demo-postgres.sql.gz"))
        assert_migrates_forward(environment(database, tmp_path))
    finally:
        psql(maintenance, "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def assert_migrates_forward(env):
    before = last_line_json(manage("shell", "--no-imports", "-c", TABLE_ROWS, env=env))
    del before["django_migrations"]
    assert before["agreements_acceptance"] > 0, "the fixture should hold evidence"

    manage("migrate", "--noinput", env=env)
    manage("migrate", "--check", env=env)  # nothing left unapplied

    after = last_line_json(manage("shell", "--no-imports", "-c", TABLE_ROWS, env=env))
    assert rows_lost_or_changed(before, after) == {}, "(rows before, rows after; None: table gone)"

    models = last_line_json(manage("shell", "--no-imports", "-c", MODEL_ROWS, env=env))
    read_by_orm = {table: rows for table, rows in models.values()}
    assert rows_lost_or_changed(before, read_by_orm) == {}, (
        "(rows before, rows the ORM reads; None: no model reads the table)"
    )

    evidence = manage("verify_evidence", env=env)
    assert "intact" in evidence
    assert f"{before['agreements_acceptance']} records verified" in evidence


def rows_lost_or_changed(before, after):
    """{table: (rows before, rows after)} for every table whose count changed (None: gone)."""
    changes = {}
    for table, rows in before.items():
        now = after.get(table)
        if now == rows or (table in MAY_GROW and now is not None and now > rows):
            continue
        changes[table] = (rows, now)
    return changes


def manage(*args, env):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def psql(url, *args, input=None):
    result = subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, *args],
        input=input,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"psql {' '.join(args)} failed:\n{result.stderr}"


def environment(database_url, tmp_path):
    return {
        **os.environ,
        # The portal's own settings, as a deployment migrates with (not the suite's).
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(tmp_path / "media"),
    }


def with_database(url, name):
    return urlsplit(url)._replace(path=f"/{name}").geturl()


def read_dump(name):
    return gzip.decompress((FIXTURES / name).read_bytes()).decode()


def last_line_json(output):
    return json.loads(output.strip().splitlines()[-1])
