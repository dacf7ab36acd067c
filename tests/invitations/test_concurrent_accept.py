"""R8: two concurrent accepts of one invitation yield exactly one acceptance (PostgreSQL)."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from agreements.models import Acceptance
from invitations.models import Invitation, InvitationStatus
from invitations.services import InvitationUnavailable, accept_invitation

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="row locks (SELECT ... FOR UPDATE) need PostgreSQL; SQLite serialises all writes",
    ),
]


def test_two_concurrent_accepts_record_one_acceptance(acme_invitation, acme_admin):
    invitation, _path, _token = acme_invitation
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept():
        try:
            barrier.wait()
            accept_invitation(
                invitation_id=invitation.pk,
                user=acme_admin,
                accept_agreement=True,
                accept_relationship=False,
                ip_address="203.0.113.1",
                user_agent="thread",
            )
            outcomes.append("accepted")
        except InvitationUnavailable as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["accepted", "used"]
    assert Acceptance.objects.filter(customer=invitation.customer).count() == 1
    assert Invitation.objects.get(pk=invitation.pk).status == InvitationStatus.ACCEPTED
