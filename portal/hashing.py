"""Secret tokens handed out once and kept only as a hash (R7, R8): invitation links and API
bearer tokens. 256 random bits leave nothing to brute-force, so a fast hash (SHA-256) is
enough, and a lookup by the hash stays one index probe."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32  # 256 bits from the operating system's CSPRNG


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
