import io
import threading

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from agreements.models import Acceptance
from tests import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="concurrent writers need PostgreSQL (SQLite serialises every write)",
    ),
]


def test_concurrent_attestations_keep_one_linear_chain(acme, alice, sam):
    barrier = threading.Barrier(4)
    errors = []

    def attest(agent, name):
        try:
            barrier.wait(timeout=10)
            f.attest(acme, agent, first_name=name)
        except Exception as error:  # surfaced below: a thread can't fail the test itself
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attest, args=(agent, f"Person {index}"))
        for index, agent in enumerate([alice, sam, alice, sam])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Acceptance.objects.count() == 4
    assert len(set(Acceptance.objects.values_list("previous_hash", flat=True))) == 4
    out = io.StringIO()
    call_command("verify_evidence", stdout=out)
    assert "4 records verified" in out.getvalue()
