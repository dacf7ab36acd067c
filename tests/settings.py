"""The test suite's settings: the portal's own, with a fast password hasher.

PBKDF2 at Django's default strength costs ~0.3 s a hash; the suite hashes thousands of
passwords. MD5 stands in (never outside tests); PBKDF2 stays listed, so a hash made with it
still verifies, and tests/portal/test_real_password_hasher.py runs the production hasher.
"""

from portal.settings import *  # noqa: F403

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Each test process signs evidence with its own throwaway key, made on first use.
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

EVIDENCE_KEY_DIR = Path(tempfile.mkdtemp(prefix="mca-evidence-keys-"))
EVIDENCE_SIGNING_KEY = ""

# Jobs run where they are enqueued, inside the caller's transaction; a test about the worker
# itself overrides this with the database backend and runs `manage.py worker`.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": TASK_QUEUES,  # noqa: F405
    }
}

# Webhook tests POST to a real HTTP server on localhost.
WEBHOOK_ALLOW_LOCAL_HTTP = True
