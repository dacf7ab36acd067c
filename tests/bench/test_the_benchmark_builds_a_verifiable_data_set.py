"""manage.py bench builds a small data set on a throwaway PostgreSQL database whose evidence
chain verifies and whose statuses are what the portal would store; it reuses its own data set
and refuses a database holding anyone else's.

Runs manage.py in a subprocess against a database of its own (created and dropped here), so
the suite's test database plays no part.
"""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.postgres
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL (DATABASE_URL=postgres://...)",
)
def test_the_benchmark_builds_a_verifiable_data_set_and_refuses_foreign_data(tmp_path):
    server = os.environ["DATABASE_URL"]
    name = f"bench_selftest_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    database = urlsplit(server)._replace(path=f"/{name}").geturl()
    maintenance = urlsplit(server)._replace(path="/postgres").geturl()
    sql(maintenance, f'CREATE DATABASE "{name}"')
    try:
        env = environment(database, tmp_path)
        built = bench(env, "--customers", "300", "--build-only", "--verify")
        assert built.returncode == 0, built.stdout + built.stderr
        assert "Evidence chain intact" in built.stdout
        assert "Relationships (statuses and the columns kept with them) agree" in built.stdout
        assert histories(database) == {"heavy": 1001, "one": 1, "small_one": 1}

        again = bench(env, "--customers", "300", "--build-only")
        assert again.returncode == 0, again.stdout + again.stderr
        assert "Reusing the data set" in again.stdout

        sql(
            database,
            "INSERT INTO portal_partner (name, partner_id, kind, country, created_at, "
            "contact_email, contact_phone, website) "
            "VALUES ('Someone Else', '4412345', 'direct_bill', 'CZ', now(), '', '', '')",
        )
        refused = bench(env, "--customers", "300", "--build-only")
        assert refused.returncode != 0
        assert "holds data the benchmark didn't make" in refused.stderr
        assert "1 partners that aren't the benchmark's" in refused.stderr

        # Without its marker, the customers are anybody's.
        sql(database, "DROP TABLE bench_dataset")
        refused = bench(env, "--customers", "300", "--build-only")
        assert refused.returncode != 0
        assert "300 customers" in refused.stderr
    finally:
        sql(maintenance, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", "bench", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def sql(url, statement):
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement)


def histories(url):
    """How many records the data set's named customers have."""
    with psycopg.connect(url) as connection:
        (details,) = connection.execute("SELECT details FROM bench_dataset").fetchone()
        counts = {}
        for who in ("heavy", "one", "small_one"):
            counts[who] = connection.execute(
                "SELECT COUNT(*) FROM agreements_acceptance a JOIN customers_customer c "
                "ON c.id = a.customer_id WHERE c.tenant_id = %s",
                [details[who]],
            ).fetchone()[0]
    return counts


def environment(database_url, tmp_path):
    return {
        **os.environ,
        # The portal's own settings, as make bench runs with (not the suite's).
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_ENV": "development",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "EVIDENCE_KEY_DIR": str(tmp_path / "keys"),
    }
