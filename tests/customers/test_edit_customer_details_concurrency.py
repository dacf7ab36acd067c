"""Two agents saving a customer's details at once (PostgreSQL): the second waits on the
customer's lock and records as old value what the first saved, so the history reads as a
chain (Praha → Brno → Ostrava) and nothing is lost."""

import threading
import time

import pytest
from django.conf import settings
from django.db import connection, transaction

from customers.models import Customer, Relationship
from customers.services import update_customer

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="two transactions racing on one row need PostgreSQL; SQLite serialises writes",
    ),
]


def test_the_second_save_waits_and_records_what_the_first_saved(sam, alice, acme):
    saved_first = threading.Event()

    def first():
        try:
            with transaction.atomic():
                update_customer(
                    customer=Customer.objects.get(pk=acme.pk),
                    changed_by=sam,
                    values={"city": "Brno", "company_name": "Acme Brno"},
                )
                saved_first.set()
                time.sleep(0.5)  # uncommitted while the colleague saves
        finally:
            connection.close()

    def second():
        try:
            saved_first.wait(5)
            # Read before the first commits: its own copy still says Praha.
            stale = Customer.objects.get(pk=acme.pk)
            update_customer(customer=stale, changed_by=alice, values={"city": "Ostrava"})
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    acme.refresh_from_db()
    assert (acme.city, acme.company_name) == ("Ostrava", "Acme Brno")
    cities = list(
        acme.changes.filter(field="city").order_by("id").values_list("old_value", "new_value")
    )
    assert cities == [("Praha", "Brno"), ("Brno", "Ostrava")]
    # The list's copy follows the last save.
    assert Relationship.objects.get(customer=acme).customer_sort_name == "acme brno"
