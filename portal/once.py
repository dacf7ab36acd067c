"""Secrets shown once (R7): credentials, invitation links, API tokens.

What a POST creates waits in the session only until the one page that shows it, which takes
it and so forgets it: a reload, the back button or another tab finds nothing. Each secret is
kept under what it belongs to (a customer, an invitation, an agent), so two tabs never take
each other's, and a forgotten one can't grow the session past ``limit``.

Sessions live in the database, so what waits there is encrypted (AES-256-GCM) with a key
derived from SECRET_KEY, which is not in the database: a copy of the session table shows no
password, link or token. A secret not shown within ``ttl`` is gone, and so is one sealed
under another key (after SECRET_KEY is rotated) or altered at rest.
"""

from __future__ import annotations

import base64
import datetime
import functools
import json
import os
import time
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.http import HttpRequest

# Long enough to read the confirmation page, short enough that a forgotten one doesn't linger.
DEFAULT_TTL = datetime.timedelta(minutes=15)
NONCE_BYTES = 12


@functools.lru_cache(maxsize=4)
def _cipher(secret_key: str) -> AESGCM:
    # A key of its own, so nothing else derived from SECRET_KEY (signing, hashing) shares it.
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"mca-portal.shown-once", info=b"v1"
    ).derive(secret_key.encode())
    return AESGCM(key)


def seal(value: Any, *, context: str, ttl: datetime.timedelta) -> str:
    """``value`` encrypted for ``context`` (which session key and owner it belongs to)."""
    payload = json.dumps({"value": value, "expires": time.time() + ttl.total_seconds()})
    nonce = os.urandom(NONCE_BYTES)
    sealed = _cipher(settings.SECRET_KEY).encrypt(nonce, payload.encode(), context.encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def unseal(token: object, *, context: str) -> Any | None:
    """The value sealed for ``context``, or None if it expired, was altered or isn't ours."""
    if not isinstance(token, str):
        return None
    try:
        raw = base64.urlsafe_b64decode(token.encode("ascii"))
        payload = _cipher(settings.SECRET_KEY).decrypt(
            raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()
        )
        data = json.loads(payload)
    except (ValueError, InvalidTag):
        return None
    if not isinstance(data, dict) or time.time() >= data.get("expires", 0):
        return None
    return data.get("value")


class ShownOnce:
    def __init__(self, key: str, limit: int = 5, ttl: datetime.timedelta = DEFAULT_TTL) -> None:
        self.key = key
        self.limit = limit
        self.ttl = ttl

    def _context(self, owner: str) -> str:
        # A sealed value can't be moved to another owner or another kind of secret.
        return f"{self.key}\x1f{owner}"

    def keep(self, request: HttpRequest, owner: object, value: Any) -> None:
        kept = request.session.get(self.key, {})
        kept.pop(str(owner), None)
        kept[str(owner)] = seal(value, context=self._context(str(owner)), ttl=self.ttl)
        # Oldest first (dicts keep insertion order).
        while len(kept) > self.limit:
            kept.pop(next(iter(kept)))
        request.session[self.key] = kept

    def take(self, request: HttpRequest, owner: object) -> Any | None:
        kept = request.session.get(self.key, {})
        token = kept.pop(str(owner), None)
        # Expired ones go too, so a forgotten secret doesn't outstay its ttl in the session.
        kept = {
            name: sealed
            for name, sealed in kept.items()
            if unseal(sealed, context=self._context(name)) is not None
        }
        if kept:
            request.session[self.key] = kept
        else:
            # Nothing left to show: the session keeps no trace of the secret.
            request.session.pop(self.key, None)
        return unseal(token, context=self._context(str(owner))) if token is not None else None
