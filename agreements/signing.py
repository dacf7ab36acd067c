"""Ed25519 signatures over the evidence, with keys that never enter the database.

An attacker who can write to the database can rewrite rows and recompute every hash, but
can't sign: the private key lives in a file (``EVIDENCE_KEY_DIR/signing-key.pem``) or an
environment secret (``EVIDENCE_SIGNING_KEY``). Every public key ever used is kept beside it
in ``EVIDENCE_KEY_DIR/public/<key id>.pem``, so records signed before a rotation still verify,
and is published at ``/.well-known/mca-evidence-keys.json``.

This module never touches the database: ``verify_receipt`` runs with none reachable.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ALGORITHM = "Ed25519"
PRIVATE_KEY_FILE = "signing-key.pem"
PUBLIC_KEY_FOLDER = "public"


class SigningKeyMissing(ImproperlyConfigured):
    """No signing key is configured: evidence can't be written."""


def canonical_json(data: dict[str, Any]) -> bytes:
    """The one serialisation that is hashed and signed: sorted keys, no spaces, UTF-8."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def key_id(public_key: Ed25519PublicKey) -> str:
    """A short, stable name for a public key: the start of the SHA-256 of its raw bytes."""
    return sha256_hex(_raw(public_key))[:16]


def _raw(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _public_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@dataclass(frozen=True)
class Signature:
    key_id: str
    value: str  # base64

    def as_json(self) -> dict[str, str]:
        return {"algorithm": ALGORITHM, "keyId": self.key_id, "value": self.value}


@dataclass(frozen=True)
class SigningKey:
    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @cached_property
    def key_id(self) -> str:
        # Worked out once a key: a batch signs a thousand records with it.
        return key_id(self.public_key)

    def sign(self, message: bytes) -> Signature:
        value = base64.b64encode(self.private_key.sign(message)).decode("ascii")
        return Signature(self.key_id, value)


def key_dir() -> Path:
    return Path(settings.EVIDENCE_KEY_DIR)


def _load_private(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured("The evidence signing key must be an Ed25519 key.")
    return key


def generate_key(folder: Path | None = None) -> SigningKey:
    """A new private key, written to the key folder (mode 0600) with its public key beside it.
    An existing private key is never overwritten: rotate_key retires it first."""
    folder = folder or key_dir()
    private_path = folder / PRIVATE_KEY_FILE
    if private_path.exists():
        raise FileExistsError(f"{private_path} exists already; rotate it instead.")
    key = SigningKey(Ed25519PrivateKey.generate())
    (folder / PUBLIC_KEY_FOLDER).mkdir(parents=True, exist_ok=True)
    _write_public(folder, key.public_key)
    pem = key.private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    current_signing_key.cache_clear()
    verification_keys.cache_clear()
    return key


def rotate_key(folder: Path | None = None) -> tuple[str, SigningKey]:
    """Retire the current private key (its public key stays, so old records verify) and
    start signing with a new one. Returns the retired key id and the new key."""
    folder = folder or key_dir()
    private_path = folder / PRIVATE_KEY_FILE
    old = SigningKey(_load_private(private_path.read_bytes()))
    _write_public(folder, old.public_key)
    private_path.unlink()
    return old.key_id, generate_key(folder)


def _write_public(folder: Path, public_key: Ed25519PublicKey) -> None:
    path = folder / PUBLIC_KEY_FOLDER / f"{key_id(public_key)}.pem"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_bytes(_public_pem(public_key))


@cache
def current_signing_key() -> SigningKey:
    """The key new evidence is signed with: EVIDENCE_SIGNING_KEY, else the key folder's file.
    In development a missing key is created (outside the database); in production the portal
    refuses to start without one (portal.settings)."""
    pem = settings.EVIDENCE_SIGNING_KEY
    if pem:
        return SigningKey(_load_private(pem.encode()))
    path = key_dir() / PRIVATE_KEY_FILE
    if not path.exists():
        if not settings.EVIDENCE_KEY_AUTOCREATE:
            raise SigningKeyMissing(
                f"No evidence signing key: set EVIDENCE_SIGNING_KEY or create {path} "
                "(manage.py evidence_key create)."
            )
        try:
            return generate_key(path.parent)
        except FileExistsError:
            pass  # another process created it a moment ago: use that one
    return SigningKey(_load_private(path.read_bytes()))


@cache
def verification_keys() -> dict[str, Ed25519PublicKey]:
    """Every public key the portal has signed with: the current one and those retired."""
    keys: dict[str, Ed25519PublicKey] = {}
    folder = key_dir() / PUBLIC_KEY_FOLDER
    if folder.is_dir():
        for path in sorted(folder.glob("*.pem")):
            keys.update(load_public_keys(path.read_bytes()))
    try:
        current = current_signing_key()
    except SigningKeyMissing:
        return keys
    keys[current.key_id] = current.public_key
    return keys


def load_public_keys(data: bytes) -> dict[str, Ed25519PublicKey]:
    """Public keys from a PEM file or from the JSON key set the portal publishes."""
    keys: dict[str, Ed25519PublicKey] = {}
    text = data.strip()
    if text.startswith(b"{"):
        for entry in json.loads(text).get("keys", []):
            if entry.get("kty") == "OKP" and entry.get("crv") == ALGORITHM:
                raw = base64.urlsafe_b64decode(entry["x"] + "=" * (-len(entry["x"]) % 4))
                public = Ed25519PublicKey.from_public_bytes(raw)
                keys[key_id(public)] = public
        return keys
    loaded = serialization.load_pem_public_key(text)
    if isinstance(loaded, Ed25519PublicKey):
        keys[key_id(loaded)] = loaded
    return keys


def verify(message: bytes, signature: dict[str, Any], keys: dict[str, Ed25519PublicKey]) -> bool:
    """True when ``signature`` (as stored or in a receipt) is a valid Ed25519 signature of
    ``message`` by one of ``keys``, under the key id it names."""
    public = keys.get(str(signature.get("keyId", "")))
    if public is None or signature.get("algorithm", ALGORITHM) != ALGORITHM:
        return False
    try:
        public.verify(base64.b64decode(str(signature.get("value", "")), validate=True), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def key_set() -> dict[str, Any]:
    """The public keys as a JSON Web Key Set (RFC 8037's OKP keys), current key marked."""
    try:
        current_id: str | None = current_signing_key().key_id
    except SigningKeyMissing:
        current_id = None
    entries = []
    for kid, public in sorted(verification_keys().items()):
        entries.append(
            {
                "kty": "OKP",
                "crv": ALGORITHM,
                "kid": kid,
                "x": base64.urlsafe_b64encode(_raw(public)).decode("ascii").rstrip("="),
                "use": "sig",
                "status": "current" if kid == current_id else "retired",
                "pem": _public_pem(public).decode("ascii"),
            }
        )
    return {"keys": entries}
