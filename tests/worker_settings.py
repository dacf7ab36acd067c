"""Settings for a `manage.py worker` a test starts in a subprocess: the suite's, with jobs in
the database (tests/settings.py runs them on the spot) and the test's own database, named by
MCA_TEST_DATABASE_NAME. The evidence key directory comes from MCA_TEST_EVIDENCE_KEY_DIR, so
the worker signs with the key the test process verifies against. MCA_TEST_SENDING_TIMEOUT_SECONDS
stands for the time a dead worker's claim takes to go stale (the outbox's and the webhooks')."""

import os
from pathlib import Path

from tests.settings import *  # noqa: F403

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": TASK_QUEUES,  # noqa: F405
    }
}
DATABASES["default"]["NAME"] = os.environ["MCA_TEST_DATABASE_NAME"]  # noqa: F405
EVIDENCE_KEY_DIR = Path(os.environ["MCA_TEST_EVIDENCE_KEY_DIR"])

if "MCA_TEST_SENDING_TIMEOUT_SECONDS" in os.environ:
    EMAIL_SENDING_TIMEOUT_SECONDS = int(os.environ["MCA_TEST_SENDING_TIMEOUT_SECONDS"])
    WEBHOOK_SENDING_TIMEOUT_SECONDS = int(os.environ["MCA_TEST_SENDING_TIMEOUT_SECONDS"])
