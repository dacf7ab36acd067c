"""manage.py bench runs on PostgreSQL only: on SQLite it stops before touching the database.

The benchmark itself (make bench) is never part of the suite; this and
test_the_benchmark_builds_a_verifiable_data_set.py are its only tests.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_benchmark_refuses_to_run_on_sqlite(tmp_path):
    database = tmp_path / "bench.sqlite3"
    result = subprocess.run(
        [sys.executable, "manage.py", "bench", "--customers", "100"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DJANGO_ENV": "development",
            "DATABASE_URL": f"sqlite:///{database}",
            "EVIDENCE_KEY_DIR": str(tmp_path / "keys"),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "The benchmark runs on PostgreSQL only" in result.stderr
    assert not database.exists() or database.stat().st_size == 0, "it wrote to SQLite"
