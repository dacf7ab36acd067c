"""X-Forwarded-Proto counts only when TRUSTED_PROXY_COUNT says a proxy of ours sets it:
exposed directly, a client could claim HTTPS by sending the header itself."""

import secrets

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.portal.test_production_settings import run_manage

PRINT_HEADER = "from django.conf import settings as s; print(repr(s.SECURE_PROXY_SSL_HEADER))"


def production(tmp_path, **env: str) -> dict[str, str]:
    signing_key = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return {
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "portal.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        # Production refuses to start without an evidence signing key.
        "EVIDENCE_SIGNING_KEY": signing_key.decode(),
        "EVIDENCE_KEY_DIR": str(tmp_path / "keys"),
        **env,
    }


@pytest.mark.parametrize("count", ["", "0"])
def test_without_a_trusted_proxy_the_forwarded_proto_header_is_ignored(tmp_path, count):
    result = run_manage(
        "shell", "-c", PRINT_HEADER, **production(tmp_path, TRUSTED_PROXY_COUNT=count)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "None"


def test_behind_a_trusted_proxy_its_forwarded_proto_header_says_https(tmp_path):
    result = run_manage(
        "shell", "-c", PRINT_HEADER, **production(tmp_path, TRUSTED_PROXY_COUNT="1")
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_check_deploy_is_clean_behind_a_trusted_proxy(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **production(tmp_path, TRUSTED_PROXY_COUNT="1"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
