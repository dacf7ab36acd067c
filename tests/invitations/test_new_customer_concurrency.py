"""A double-clicked Create customer makes one customer; the other click gets a clear answer."""

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from customers.models import Customer
from portal.models import User
from tests.customers.conftest import new_customer_data

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: SQLite serialises writers, so there is no race to test",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_simultaneous_creates_from_one_draft_make_one_customer(sam, template_cz):
    first = Client()
    first.force_login(sam)
    review = first.post(reverse("customers:new"), new_customer_data())["Location"]
    second = Client()
    second.cookies = first.cookies
    barrier = threading.Barrier(2)
    statuses = []

    def create(client):
        try:
            barrier.wait()
            statuses.append(client.post(review).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(c,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Customer.objects.filter(domain="wingtip.onmicrosoft.com").count() == 1
    assert User.objects.filter(email="admin@wingtip.onmicrosoft.com").count() == 1
    assert 302 in statuses
    assert sorted(statuses)[0] == 302 and sorted(statuses)[1] in (302, 400, 409)
