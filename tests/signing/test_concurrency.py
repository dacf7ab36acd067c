"""On PostgreSQL: two accepts of one link at the same moment leave one record (the customer
is locked first, then the request's row); two agents starting a link for the same signatory
leave one open request."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from agreements.models import Acceptance
from signing import services
from signing.models import SigningRequest, SigningStatus
from signing.selectors import document_in_force
from tests.signing.conftest import SIGNATORY

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: SQLite serialises writers, so there is no race to test",
    ),
    pytest.mark.django_db(transaction=True),
]


def race(count, work):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(index):
        try:
            barrier.wait()
            results.append(work(index))
        except Exception as error:  # noqa: BLE001 - reported by the caller's assertions
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_two_accepts_of_one_link_leave_one_record(sam, acme):
    request, _token = services.start_signing(
        customer=acme,
        partner=sam.partner,
        started_by=sam,
        signatory=SIGNATORY,
        document=document_in_force("US", "en-US"),
    )
    services.send_code(request=request)
    from tests.signing.conftest import last_code

    proof = services.verify_code(request=request, code=last_code())

    def accept(_index):
        fresh = SigningRequest.objects.get(pk=request.pk)
        return services.accept_signing(
            request=fresh,
            proof=proof,
            phone="",
            job_title="CFO",
            typed_signature="Jana Nováková",
            ip_address="192.0.2.1",
            user_agent="test",
        ).pk

    results, errors = race(4, accept)
    assert len(results) == 1
    assert len(errors) == 3
    assert all(isinstance(error, services.SigningError) for error in errors), errors
    assert Acceptance.objects.count() == 1
    assert SigningRequest.objects.get().status == SigningStatus.ACCEPTED


def test_two_agents_starting_for_one_signatory_leave_one_open_link(sam, alice, acme):
    agents = [sam, alice, sam, alice]
    document = document_in_force("US", "en-US")

    def start(index):
        return services.start_signing(
            customer=acme,
            partner=agents[index].partner,
            started_by=agents[index],
            signatory=SIGNATORY,
            document=document,
        )[0].pk

    results, errors = race(len(agents), start)
    assert len(results) == 1
    assert all(isinstance(error, services.SigningAlreadyOpen) for error in errors), errors
    assert SigningRequest.objects.filter(status__in=["pending", "opened"]).count() == 1


def test_two_tasks_of_one_bulk_job_start_and_email_each_link_once(sam, acme):
    """A recovered bulk job whose first task still runs: both walk the same customer at once;
    the job row's lock and the one result per customer leave one link and one email."""
    from customers.models import Relationship
    from portal.models import OutboxMessage
    from signing import bulk
    from signing.models import BulkSigningJob, BulkSigningResult
    from signing.selectors import documents_in_force

    relationship = Relationship.objects.get(customer=acme)
    job = BulkSigningJob.objects.create(
        partner=sam.partner,
        created_by=sam,
        selection={"relationship_ids": [relationship.pk]},
        signatory_source="contact",
    )
    documents = documents_in_force()
    results, errors = race(3, lambda _index: bulk._process(job.pk, relationship.pk, documents))
    assert errors == []
    assert BulkSigningResult.objects.filter(job=job).count() == 1
    assert SigningRequest.objects.filter(customer=acme).count() == 1
    assert OutboxMessage.objects.filter(dedupe_key__startswith="signing:").count() == 1
    job.refresh_from_db()
    assert (job.processed, job.started) == (1, 1)
