"""Two PUTs of one customer's billing profile with the same etag at once (PostgreSQL): the
second waits on the customer's lock, then finds the details changed and saves nothing (412),
so neither overwrites the other unseen."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from customers.models import Customer
from portal.models import ApiToken
from tests.api.conftest import ApiClient
from tests.api.test_customer_billing_profile import edited, url

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="two transactions racing on one row need PostgreSQL; SQLite serialises writes",
    ),
]


def test_of_two_puts_with_one_etag_exactly_one_is_saved(alice, sam, acme):
    clients = [ApiClient(ApiToken.issue(user=agent, name="race")[1]) for agent in (alice, sam)]
    profile = clients[0].get(url(acme)).json()
    bodies = [
        edited(profile, companyName="Acme Alice"),
        edited(profile, defaultAddress__city="Brno"),
    ]
    start = threading.Barrier(2)
    statuses: list[int] = []

    def put(client, body):
        try:
            start.wait(5)
            statuses.append(client.put_json(url(acme), body).status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=put, args=pair) for pair in zip(clients, bodies, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200, 412]
    acme = Customer.objects.get(pk=acme.pk)
    # Exactly one of the two changes, and its history only.
    assert [(acme.company_name, acme.city)] != [("Acme Alice", "Brno")]
    assert acme.changes.count() == 1
