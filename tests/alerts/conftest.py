"""Signing's fixtures, for the alert a declined signing link raises."""

from tests.signing.conftest import start_signing, verified  # noqa: F401
