"""An attestation is chained to the evidence head as read with the customer's other rows,
without the head's lock (PostgreSQL), and appended only if no other append came first; if one
did, it takes the head's lock and seals again. Either way the chain stays one line."""

from __future__ import annotations

import dataclasses
import datetime
import io
import threading

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements import services
from agreements.models import Acceptance, EvidenceChainHead, EvidenceCheckpoint
from customers.models import AgreementStatus, Relationship
from tests import factories as f
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="the head is read ahead without its lock on PostgreSQL; SQLite's one writer locks",
)

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def verified(count: int) -> bool:
    out = io.StringIO()
    call_command("verify_evidence", stdout=out)
    return f"{count} records verified" in out.getvalue()


@pytest.fixture
def head_read_stale(monkeypatch):
    """From now on the head is read as it stood one append earlier: as if read just before
    the latest record was appended."""
    read_ahead = services.read_ahead

    def stale(*args, **kwargs):
        ahead = read_ahead(*args, **kwargs)
        return dataclasses.replace(
            ahead, head=EvidenceChainHead(pk=1, last_hash="0" * 64, count=ahead.head.count - 1)
        )

    monkeypatch.setattr(services, "read_ahead", stale)


@pytest.mark.django_db
def test_a_head_moved_since_it_was_read_is_locked_and_the_record_sealed_again(
    acme, alice, template_cz, request
):
    f.attest(acme, alice, first_name="First")
    request.getfixturevalue("head_read_stale")
    second = f.attest(acme, alice, first_name="Second")

    records = list(Acceptance.objects.order_by("sequence"))
    assert [r.first_name for r in records] == ["First", "Second"]
    assert second.sequence == 2 and second.previous_hash == records[0].chain_hash
    assert EvidenceCheckpoint.objects.count() == 2
    assert EvidenceChainHead.objects.get(pk=1).count == 2
    assert verified(2)


@pytest.mark.django_db
def test_the_statuses_are_written_once_when_the_head_had_moved(acme, alice, template_cz, request):
    f.attest(acme, alice, first_name="First")
    Relationship.objects.filter(customer=acme).update(
        agreement_status=AgreementStatus.NONE, last_accepted_on=None
    )
    request.getfixturevalue("head_read_stale")
    with CaptureQueriesContext(connection) as captured:
        second = f.attest(acme, alice, first_name="Second")
    writes = [q["sql"] for q in captured.captured_queries if "relationship_status" in q["sql"]]
    assert len(writes) == 1  # with the first try, which appended nothing
    assert second.sequence == 2
    relationship = Relationship.objects.get(customer=acme, partner=alice.partner)
    assert relationship.agreement_status == AgreementStatus.ATTESTED
    assert relationship.last_accepted_on == second.date_agreed
    assert verified(2)


@pytest.mark.django_db(transaction=True)
def test_attestations_for_many_customers_at_once_keep_one_chain(alice, sam, template_cz):
    """Different customers don't wait for each other's lock: their appends race for the head,
    and the losers seal again under its lock."""
    from portal.models import ApiToken

    EvidenceChainHead.objects.get_or_create(pk=1)
    customers = [f.RelationshipFactory(partner=alice.partner).customer for _ in range(8)]
    for customer in customers:
        customer.country = "CZ"
        customer.save()
    secret = ApiToken.issue(user=alice, name="race")[1]
    barrier = threading.Barrier(len(customers))
    answers: list[object] = [None] * len(customers)

    def attest(index: int) -> None:
        try:
            barrier.wait(timeout=20)
            answers[index] = (
                ApiClient(secret)
                .post_json(
                    f"/v1/customers/{customers[index].tenant_id}/agreements",
                    {
                        "primaryContact": {
                            "firstName": "Petr",
                            "lastName": f"Race {index}",
                            "email": f"race{index}@example.cz",
                        },
                        "templateId": str(template_cz.template_id),
                        "dateAgreed": YESTERDAY.isoformat(),
                        "type": "MicrosoftCustomerAgreement",
                    },
                )
                .status_code
            )
        except Exception as error:  # noqa: BLE001 - inspected below
            answers[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=attest, args=(i,)) for i in range(len(customers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert answers == [201] * len(customers)
    records = list(Acceptance.objects.order_by("sequence"))
    assert [r.sequence for r in records] == list(range(1, len(customers) + 1))
    assert all(b.previous_hash == a.chain_hash for a, b in zip(records, records[1:], strict=False))
    assert verified(len(customers))
