"""Checking the evidence: whole-chain verification against the database, and receipts that
verify offline with nothing but a public key.

What each check catches, against an attacker who can write to the database but doesn't hold
the signing key:
- a row's columns changed: they no longer match its signed statement;
- the statement changed and every later hash recomputed: the signature no longer verifies;
- rows removed or inserted: a broken link, a gap in the positions, or a head that disagrees;
- the newest rows removed and the head and stored checkpoints rolled back: only a checkpoint
  or receipt kept elsewhere can show it (``--checkpoint``), which is why partners get them.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from agreements.signing import canonical_json, sha256_hex, verify

RECEIPT_TYPE = "mca-acceptance-receipt"
CHECKPOINT_TYPE = "mca-evidence-checkpoint"
GENESIS_HASH = "0" * 64


def iso_utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# Receipts (offline) -------------------------------------------------------------------------


def verify_receipt(receipt: Any, keys: dict[str, Ed25519PublicKey]) -> list[str]:
    """What is wrong with a receipt, or [] when its record and checkpoint both verify."""
    if not isinstance(receipt, dict) or receipt.get("type") != RECEIPT_TYPE:
        return ["This is not an acceptance receipt of the MCA Portal."]
    record, signature = receipt.get("record"), receipt.get("signature")
    if not isinstance(record, dict):
        return ["The receipt holds no record."]
    if not isinstance(signature, dict):
        return ["The record is not signed (it predates signed evidence)."]
    problems = []
    statement = canonical_json(record)
    if sha256_hex(statement) != receipt.get("chainHash"):
        problems.append("The record does not match its chain hash: it was changed.")
    if signature.get("keyId") not in keys:
        problems.append(f"The record is signed by an unknown key ({signature.get('keyId')}).")
    elif not verify(statement, signature, keys):
        problems.append("The record's signature is not valid: the record was changed.")
    checkpoint = receipt.get("checkpoint")
    if checkpoint is not None:
        problems.extend(verify_checkpoint(checkpoint, keys))
        count = _checkpoint_statement(checkpoint).get("count")
        sequence = record.get("sequence")
        if isinstance(count, int) and isinstance(sequence, int):
            if count < sequence:
                problems.append("The checkpoint predates the record.")
            elif count == sequence and (
                _checkpoint_statement(checkpoint).get("headHash") != receipt.get("chainHash")
            ):
                problems.append("The checkpoint names another record at this position.")
    return problems


def _checkpoint_statement(checkpoint: Any) -> dict[str, Any]:
    statement = checkpoint.get("statement") if isinstance(checkpoint, dict) else None
    return statement if isinstance(statement, dict) else {}


def verify_checkpoint(checkpoint: Any, keys: dict[str, Ed25519PublicKey]) -> list[str]:
    statement = _checkpoint_statement(checkpoint)
    signature = checkpoint.get("signature") if isinstance(checkpoint, dict) else None
    if statement.get("type") != CHECKPOINT_TYPE or not isinstance(signature, dict):
        return ["This is not a signed checkpoint of the evidence chain."]
    if not verify(canonical_json(statement), signature, keys):
        return ["The checkpoint's signature is not valid."]
    if not isinstance(statement.get("count"), int) or not isinstance(
        statement.get("headHash"), str
    ):
        return ["The checkpoint names no chain position."]
    return []


def checkpoints_in(document: Any) -> Iterator[dict[str, Any]]:
    """The signed checkpoints in an exported file: one checkpoint, a receipt (its
    checkpoint), or a list of either."""
    if isinstance(document, list):
        for item in document:
            yield from checkpoints_in(item)
    elif isinstance(document, dict):
        if document.get("type") == RECEIPT_TYPE:
            if document.get("checkpoint") is not None:
                yield document["checkpoint"]
            # The record itself pins its own position too.
            record = document.get("record")
            if isinstance(record, dict) and isinstance(document.get("signature"), dict):
                yield {"record": record, "chainHash": document.get("chainHash")}
        elif "statement" in document:
            yield document


# The whole chain, from the database ---------------------------------------------------------


@dataclass
class Report:
    records: int = 0
    unsigned: int = 0
    checkpoints: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


@dataclass
class Row:
    """One record as read back as text, so odd values become findings, not tracebacks."""

    values: dict[str, Any]

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    @property
    def label(self) -> str:
        try:
            public_id = _uuid(self.values.get("public_id_text"))
        except ValueError:
            public_id = repr(self.values.get("public_id_text"))
        return f"acceptance {public_id} (id {self.values.get('id')})"


def _parse_datetime(text: str | None) -> datetime.datetime:
    if text is None:
        raise ValueError("no value")
    moment = datetime.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


def _uuid(text: str | None) -> str:
    return str(uuid.UUID(str(text)))


def check_row(row: Row, keys: dict[str, Ed25519PublicKey], legacy_hash) -> str | None:
    """Why this row is not what was recorded, or None. ``legacy_hash`` recomputes the hash
    of a record that predates signing (from the model, which knows that layout)."""
    try:
        recorded_at = _parse_datetime(row["recorded_at_text"])
        date_agreed = datetime.date.fromisoformat(str(row["date_agreed_text"]))
        public_id = _uuid(row["public_id_text"])
    except (TypeError, ValueError) as error:
        return f"a value can't be read back ({error}): the row was altered"
    if not row["statement"]:
        try:
            computed = legacy_hash(row, recorded_at, date_agreed, public_id)
        except (TypeError, ValueError) as error:
            return f"a value can't be read back ({error}): the row was altered"
        if computed != row["chain_hash"]:
            return "its contents no longer match its hash (the row was altered)"
        return None
    statement_bytes = str(row["statement"]).encode()
    if sha256_hex(statement_bytes) != row["chain_hash"]:
        return "its signed statement no longer matches its hash (the row was altered)"
    signature = {"keyId": row["key_id"], "value": row["signature"]}
    if row["key_id"] not in keys:
        return f"it is signed by a key the portal doesn't know ({row['key_id']})"
    if not verify(statement_bytes, signature, keys):
        return (
            "its signature doesn't verify: the record was rewritten (hashes recomputed "
            "without the signing key)"
        )
    try:
        statement = json.loads(statement_bytes)
        columns = {
            "recordId": public_id,
            "sequence": row["sequence"],
            "tenantId": _uuid(row["tenant_id_text"]),
            "templateId": _uuid(row["template_uuid_text"]),
            "partnerId": row["partner__partner_id"],
            "method": row["method"],
            "channel": row["channel"],
            "firstName": row["first_name"],
            "lastName": row["last_name"],
            "email": row["email"],
            "phoneNumber": str(row["phone"] or ""),
            "dateAgreed": date_agreed.isoformat(),
            "recordedAt": iso_utc(recorded_at),
            "ipAddress": row["ip_address"] or "",
            "userAgent": row["user_agent"],
            "documentSha256": row["document_sha256"],
            "previousHash": row["previous_hash"],
            "bulkJobId": _uuid(bulk_job) if (bulk_job := row.values.get("bulk_job_text")) else None,
        }
    except (TypeError, ValueError) as error:
        return f"a value can't be read back ({error}): the row was altered"
    try:
        # A signatory acceptance's own evidence (a JSON column, read back as text); none for
        # every other record, whose statement has none either.
        signatory = row.values.get("signatory_text")
        columns["signatory"] = json.loads(signatory) if signatory else None
    except (TypeError, ValueError) as error:
        return f"a value can't be read back ({error}): the row was altered"
    changed = sorted(name for name, value in columns.items() if statement.get(name) != value)
    if changed:
        return f"{', '.join(changed)} differ from what was signed (the row was altered)"
    return None


def check_chain(
    rows: Iterable[Row],
    keys: dict[str, Ed25519PublicKey],
    legacy_hash,
    *,
    head: tuple[str, int, int] | None,
    checkpoints: Iterable[dict[str, Any]],
    external: Iterable[dict[str, Any]] = (),
) -> Report:
    """Walk the chain in append order, then hold every checkpoint against it."""
    report = Report()
    positions: dict[int, str] = {}
    records: dict[str, tuple[int, str]] = {}
    expected_previous = GENESIS_HASH
    signed_seen = False
    for row in rows:
        report.records += 1
        problem = None
        if row["previous_hash"] != expected_previous:
            problem = "it does not follow the record before it (a record was removed or inserted)"
        elif row["sequence"] != report.records:
            problem = f"it sits at position {report.records} but says {row['sequence']}"
        else:
            problem = check_row(row, keys, legacy_hash)
        if problem is None and not row["statement"]:
            report.unsigned += 1
            if signed_seen:
                problem = "an unsigned record follows signed ones (it was rewritten)"
        signed_seen = signed_seen or bool(row["statement"])
        if problem is not None:
            report.problems.append(f"Evidence chain broken at {row.label}: {problem}.")
            return report
        expected_previous = row["chain_hash"]
        positions[report.records] = row["chain_hash"]
        records[str(row["public_id_text"]).replace("-", "")] = (report.records, row["chain_hash"])

    if head is not None:
        last_hash, count, unsigned_prefix = head
        if (last_hash, count) != (expected_previous, report.records):
            report.problems.append(
                "Evidence chain broken at its end: the newest record is not the one the chain "
                f"head names ({report.records} records, the head says {count}: records were "
                "removed or the head was moved)."
            )
        if unsigned_prefix != report.unsigned:
            report.problems.append(
                f"{report.unsigned} records are unsigned but {unsigned_prefix} predate signing: "
                "records were passed off as older ones."
            )

    for origin, checkpoint in [("stored", c) for c in checkpoints] + [
        ("given", c) for c in external
    ]:
        report.checkpoints += 1
        problem = _held_against_chain(checkpoint, keys, positions, records, report)
        if problem:
            report.problems.append(f"A {origin} checkpoint disagrees with the chain: {problem}")
            if origin == "given":
                break
    return report


def _held_against_chain(
    checkpoint: dict[str, Any],
    keys: dict[str, Ed25519PublicKey],
    positions: dict[int, str],
    records: dict[str, tuple[int, str]],
    report: Report,
) -> str | None:
    if "record" in checkpoint:  # a receipt's record: it must still be in the chain, unchanged
        record = checkpoint["record"]
        found = records.get(str(record.get("recordId", "")).replace("-", ""))
        if found is None:
            return f"record {record.get('recordId')} is missing (the chain was truncated or cut)."
        if found != (record.get("sequence"), checkpoint.get("chainHash")):
            return f"record {record.get('recordId')} was rewritten since its receipt."
        return None
    problems = verify_checkpoint(checkpoint, keys)
    if problems:
        return problems[0]
    statement = checkpoint["statement"]
    count, head_hash = statement["count"], statement["headHash"]
    if count > report.records:
        return (
            f"it was signed over {count} records but the chain holds {report.records}: "
            f"the newest {count - report.records} were removed."
        )
    if positions.get(count) != head_hash:
        return (
            f"record {count} is not the one it signed: the chain was rewritten at or before "
            "that position."
        )
    if statement.get("unsignedPrefix", 0) != report.unsigned:
        return "the number of records that predate signing changed."
    return None
