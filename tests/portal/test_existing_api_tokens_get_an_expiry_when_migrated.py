"""Tokens made before tokens expired get one from the migration: created + 90 days.

Each test migrates a scratch database in a subprocess (the portal's own settings), so the
suite's test database plays no part.
"""

import os

import pytest
from django.conf import settings

from tests.portal.test_previous_main_migrates_forward import (
    environment,
    last_line_json,
    manage,
    psql,
    with_database,
)

BEFORE_EXPIRY = ("portal", "0002_api_tokens_and_idempotency")

# Migrate to the state before expiry, make two tokens with that state's models, then migrate
# to the end and report what the tokens became.
SCRIPT = f"""
import datetime, json
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

executor = MigrationExecutor(connection)
executor.migrate([{BEFORE_EXPIRY!r}])
apps = MigrationExecutor(connection).loader.project_state([{BEFORE_EXPIRY!r}]).apps
Partner, User, ApiToken = (apps.get_model("portal", name) for name in ("Partner", "User", "ApiToken"))
partner = Partner.objects.create(name="Contoso", partner_id="5000001", kind="direct_bill", country="CZ")
agent = User.objects.create(email="alice@contoso.example", partner=partner, role="admin_agent")
created = {{
    "old": timezone.now() - datetime.timedelta(days=200),
    "recent": timezone.now() - datetime.timedelta(days=10),
}}
for name, when in created.items():
    ApiToken.objects.create(user=agent, name=name, token_hash=name * 8, hint="mca_abcd", created_at=when)

executor = MigrationExecutor(connection)
executor.migrate(executor.loader.graph.leaf_nodes())
from portal.models import ApiToken
print(json.dumps({{
    token.name: [(token.expires_at - token.created_at).days, token.is_active]
    for token in ApiToken.objects.all()
}}))
"""


def assert_tokens_got_an_expiry(env):
    tokens = last_line_json(manage("shell", "--no-imports", "-c", SCRIPT, env=env))
    # 90 days from creation: the old one has expired, the recent one still works.
    assert tokens == {"old": [90, False], "recent": [90, True]}


def test_existing_tokens_expire_90_days_after_creation_on_sqlite(tmp_path):
    assert_tokens_got_an_expiry(environment(f"sqlite:///{tmp_path / 'tokens.sqlite3'}", tmp_path))


@pytest.mark.postgres
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL (DATABASE_URL=postgres://...)",
)
def test_existing_tokens_expire_90_days_after_creation_on_postgresql(tmp_path):
    server = os.environ["DATABASE_URL"]
    name = f"token_expiry_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    maintenance = with_database(server, "postgres")
    psql(maintenance, "-c", f'CREATE DATABASE "{name}"')
    try:
        assert_tokens_got_an_expiry(environment(with_database(server, name), tmp_path))
    finally:
        psql(maintenance, "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
