"""Each page's queries are fixed: they don't grow with the signing links on record."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from signing import services
from tests.signing.conftest import last_code

pytestmark = pytest.mark.django_db


def queries(client, method, path, data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(path, data or {})
    assert response.status_code < 500
    return len(captured)


def add_links(customer, start_signing, count, offset=0):
    for index in range(offset, offset + count):
        start_signing(
            customer,
            signatory=services.Signatory("Signer", str(index), f"signer{index}@acme.example"),
        )


def test_account_info_reads_the_same_with_one_link_or_many(client, sam, acme, start_signing):
    client.force_login(sam)
    add_links(acme, start_signing, 1)
    client.get(f"/customers/{acme.tenant_id}/")
    few = queries(client, "get", f"/customers/{acme.tenant_id}/")
    add_links(acme, start_signing, 14, offset=1)
    many = queries(client, "get", f"/customers/{acme.tenant_id}/")
    assert few == many


def test_the_signing_pages_read_a_fixed_number(client, acme, start_signing):
    counts = []
    for round_ in range(2):
        add_links(acme, start_signing, 3 * round_ + 1, offset=10 * (round_ + 1))
        _request, path = start_signing(
            acme, signatory=services.Signatory("Jana", "Nováková", f"jana{round_}@acme.example")
        )
        opened = queries(client, "get", path)
        sent = queries(client, "post", path + "code/")
        verified = queries(client, "post", path + "verify/", {"code": last_code()})
        counts.append((opened, sent, verified))
    assert counts[0] == counts[1]
    opened, sent, verified = counts[0]
    assert opened <= 8 and verified <= 8, counts
    # Sending writes the outbox row, whose task runs on the spot under the tests' backend.
    assert sent <= 20, counts
