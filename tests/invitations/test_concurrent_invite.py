"""R8: two agents inviting the same customer at once leave one open invitation (PostgreSQL)."""

import threading
import time

import pytest
from django.conf import settings
from django.db import connection, transaction

from invitations import services
from invitations.models import Invitation, InvitationKind

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="two transactions racing on one unique index need PostgreSQL; "
        "SQLite serialises all writes",
    ),
]


def issue(agent, customer):
    return services.issue_invitation(
        partner=agent.partner,
        customer=customer,
        kind=InvitationKind.EXISTING_CUSTOMER,
        created_by=agent,
    )


def open_count(customer) -> int:
    return Invitation.objects.filter(customer=customer, status__in=["pending", "opened"]).count()


def run(*targets):
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_the_agent_who_comes_second_waits_and_then_replaces_the_first_invitation(sam, alice, acme):
    """Both queue on the customer's lock (customers.locks), so the second sees the first
    invitation committed and replaces it, as it would a minute later: one live link."""
    inserted = threading.Event()
    outcomes: dict[str, str] = {}

    def first():
        try:
            with transaction.atomic():
                issue(sam, acme)
                inserted.set()
                # Hold the row uncommitted while the colleague looks and inserts.
                time.sleep(0.5)
            outcomes["sam"] = "issued"
        finally:
            connection.close()

    def second():
        try:
            inserted.wait(5)
            issue(alice, acme)
            outcomes["alice"] = "issued"
        except services.OpenInvitationExists as error:
            outcomes["alice"] = error.code
        finally:
            connection.close()

    run(first, second)
    assert outcomes == {"sam": "issued", "alice": "issued"}
    assert open_count(acme) == 1
    older, newer = Invitation.objects.filter(customer=acme).order_by("created_at", "pk")
    assert older.created_by == sam and newer.created_by == alice
    assert older.replaced_by_id == newer.pk


def test_two_agents_at_the_same_moment_leave_one_open_invitation(sam, alice, acme):
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def invite(agent):
        def target():
            try:
                barrier.wait()
                issue(agent, acme)
                outcomes.append("issued")
            except services.OpenInvitationExists:
                outcomes.append("refused")
            finally:
                connection.close()

        return target

    run(invite(sam), invite(alice))
    # Whoever comes second either replaces the first (it saw it) or is refused (it didn't).
    assert sorted(outcomes) in (["issued", "issued"], ["issued", "refused"])
    assert open_count(acme) == 1
