"""Two reseller agents asking at the same moment still leave one open request."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from agreements.models import AttestationRequest
from agreements.services import request_attestation
from portal.models import Role
from tests import factories as f

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: SQLite serialises writers, so there is no race to test",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_simultaneous_requests_leave_one_open_request(northwind):
    customer = f.CustomerFactory()
    f.RelationshipFactory(partner=northwind, customer=customer)
    agents = [f.AgentFactory(partner=northwind, role=Role.SALES_AGENT) for _ in range(4)]
    barrier = threading.Barrier(len(agents))
    results, errors = [], []

    def ask(agent):
        try:
            barrier.wait()
            results.append(
                request_attestation(customer=customer, reseller=northwind, requested_by=agent).pk
            )
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(agent,)) for agent in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(set(results)) == 1
    assert AttestationRequest.objects.filter(resolved_at__isnull=True).count() == 1
