"""Two admin agents demoting each other at the same moment leave one admin, never none."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from portal import agents
from portal.models import Role, User
from tests import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="concurrent writers need PostgreSQL (SQLite serialises every write)",
    ),
]


@pytest.mark.parametrize("action", ["demote", "deactivate"])
def test_two_admins_removing_each_other_leave_one_admin(alice, contoso, action):
    ada = f.AgentFactory(partner=contoso, role=Role.ADMIN_AGENT, email="ada@contoso.example")
    barrier = threading.Barrier(2)
    refused = []
    errors = []

    def remove(by, agent):
        try:
            barrier.wait(timeout=10)
            if action == "demote":
                agents.change_role(by=by, agent=agent, role=Role.SALES_AGENT)
            else:
                agents.deactivate(by=by, agent=agent)
        except agents.AgentActionError as error:
            refused.append(str(error))
        except Exception as error:  # surfaced below: a thread can't fail the test itself
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=remove, args=(alice, ada)),
        threading.Thread(target=remove, args=(ada, alice)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(refused) == 1
    admins = User.objects.filter(partner=contoso, role=Role.ADMIN_AGENT, is_active=True)
    assert admins.count() == 1
