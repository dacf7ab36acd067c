"""What an attacker with the database owner's rights can do, for the tests that catch it."""

from __future__ import annotations

import json

from django.db import connection

from agreements.evidence import GENESIS_HASH
from agreements.signing import canonical_json, sha256_hex


def as_database_owner(sql: str, params: list | tuple = ()) -> None:
    """Run SQL as someone who can switch the evidence triggers off (PostgreSQL's
    session_replication_role needs a superuser); SQLite has no triggers to switch off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(sql, params)
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")


def rewrite_chain(changes: dict[int, dict[str, str]]) -> None:
    """Change the records at these chain positions, column and signed statement alike, then
    recompute every later hash with the code's own hashing and move the head and the stored
    checkpoints to match. Without the signing key the signatures stay as they were."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, sequence, statement FROM agreements_acceptance ORDER BY sequence"
        )
        rows = cursor.fetchall()
    previous = GENESIS_HASH
    for pk, sequence, statement_text in rows:
        statement = json.loads(statement_text)
        statement["previousHash"] = previous
        columns = changes.get(sequence, {})
        statement.update({_camel(name): value for name, value in columns.items()})
        text = canonical_json(statement).decode()
        chain_hash = sha256_hex(text.encode())
        assignments = ", ".join(f"{name} = %s" for name in columns)
        as_database_owner(
            "UPDATE agreements_acceptance SET statement = %s, chain_hash = %s, previous_hash = %s"
            + (f", {assignments}" if assignments else "")
            + " WHERE id = %s",
            [text, chain_hash, previous, *columns.values(), pk],
        )
        previous = chain_hash
    as_database_owner("UPDATE agreements_evidencechainhead SET last_hash = %s", [previous])
    as_database_owner("DELETE FROM agreements_evidencecheckpoint")


def truncate_newest(keep: int) -> None:
    """Remove every record after position ``keep`` and roll the head and checkpoints back."""
    as_database_owner("DELETE FROM agreements_acceptance WHERE sequence > %s", [keep])
    as_database_owner("DELETE FROM agreements_evidencecheckpoint WHERE count > %s", [keep])
    with connection.cursor() as cursor:
        cursor.execute("SELECT chain_hash FROM agreements_acceptance WHERE sequence = %s", [keep])
        (last_hash,) = cursor.fetchone()
    as_database_owner(
        "UPDATE agreements_evidencechainhead SET last_hash = %s, count = %s", [last_hash, keep]
    )


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part.title() for part in rest)
