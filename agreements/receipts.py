"""Receipts: what a partner keeps of one acceptance, verifiable offline (agreements.evidence)."""

from __future__ import annotations

import json
from typing import Any

from agreements.evidence import RECEIPT_TYPE
from agreements.models import Acceptance, EvidenceCheckpoint
from agreements.signing import ALGORITHM

KEYS_PATH = "/.well-known/mca-evidence-keys.json"


def latest_checkpoint() -> EvidenceCheckpoint | None:
    return EvidenceCheckpoint.objects.order_by("-count").first()


def receipt_for(acceptance: Acceptance, keys_url: str) -> dict[str, Any]:
    """The signed record, its place in the chain and the newest signed checkpoint. A record
    from before signing began has no signature; its receipt says so."""
    checkpoint = latest_checkpoint()
    return {
        "type": RECEIPT_TYPE,
        "version": 1,
        "record": json.loads(acceptance.statement) if acceptance.statement else None,
        "chainHash": acceptance.chain_hash,
        "signature": (
            {"algorithm": ALGORITHM, "keyId": acceptance.key_id, "value": acceptance.signature}
            if acceptance.statement
            else None
        ),
        "checkpoint": checkpoint.as_json() if checkpoint else None,
        "keys": keys_url,
    }


def receipt_filename(acceptance: Acceptance) -> str:
    return f"mca-acceptance-receipt-{acceptance.public_id}.json"
