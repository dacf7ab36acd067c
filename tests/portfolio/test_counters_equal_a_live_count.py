"""The ledger's counts equal a live count after every kind of change, on SQLite and
PostgreSQL alike (the triggers are the database's own)."""

import datetime

import pytest
from django.db import connection
from django.db.models import Count, Sum

from agreements.models import Acceptance
from customers.models import Relationship
from portfolio import counters, selectors
from portfolio.models import AcceptanceTally, StatusDelta
from tests import factories as f
from tests.portfolio.conftest import (
    block,
    counted,
    invite_customer,
    lapse,
    live_counts,
    stored_counts,
)

pytestmark = pytest.mark.django_db(transaction=False)


def ledger(partner) -> dict[str, int]:
    rows = (
        StatusDelta.objects.filter(partner=partner)
        .values_list("status")
        .annotate(total=Sum("delta"))
        .order_by()
    )
    return {status: total for status, total in rows if total}


def test_the_triggers_exist_after_all_migrations():
    assert counters.missing_triggers(connection) == set()


def test_counts_equal_a_live_count_after_a_mix_of_changes(
    contoso, litware, sam, lisa, make_customer
):
    customers = [make_customer(contoso, f"C{number}") for number in range(10)]
    make_customer(litware, "Theirs")
    f.attest(customers[0], sam)
    f.attest(customers[1], sam)
    f.attest(customers[1], sam, first_name="Petr")  # a second record changes nothing
    invite_customer(customers[2], sam)
    invite_customer(customers[3], sam)
    lapse(customers[3], contoso)
    block(customers[4], sam)
    block(customers[5], sam)
    f.attest(customers[5], sam)  # blocked, then attested
    admin = f.CustomerAdminFactory(customer=customers[6])
    invite_customer(customers[6], sam)
    f.accept_directly(customers[6], admin, contoso)
    invite_customer(customers[7], sam)
    f.attest(customers[7], sam)  # invited, then attested
    invite_customer(customers[8], sam)
    lapse(customers[8], contoso, ago=datetime.timedelta(days=40))

    assert ledger(contoso) == stored_counts(contoso)
    assert ledger(litware) == stored_counts(litware)
    counts = selectors.status_counts(contoso)
    assert counted(counts[selectors.OWN]) == live_counts([contoso])
    # C9 never invited, C3 and C8 invited and lapsed: not on record, two of them lapsed.
    assert counted(counts[selectors.OWN]) == {
        "none": 3,
        "invited": 1,
        "blocked": 1,
        "due": 0,
        "attested": 4,
        "accepted": 1,
        "lapsed": 2,
    }
    assert counted(selectors.status_counts(litware)[selectors.OWN]) == live_counts([litware])


def test_a_status_written_without_the_services_is_counted_too(contoso, make_customer):
    """The admin, a bulk load or a data migration: the trigger sees every write."""
    customers = [make_customer(contoso) for _ in range(3)]
    Relationship.objects.filter(customer__in=customers[:2]).update(agreement_status="attested")
    Relationship.objects.bulk_create(
        [
            Relationship(partner=contoso, customer=f.CustomerFactory(), agreement_status="blocked")
            for _ in range(4)
        ]
    )
    Relationship.objects.filter(customer=customers[2]).delete()
    assert ledger(contoso) == stored_counts(contoso) == {"attested": 2, "blocked": 4}


def test_an_update_that_changes_no_status_adds_no_ledger_row(contoso, make_customer):
    customer = make_customer(contoso)
    rows = StatusDelta.objects.count()
    customer.company_name = "Renamed"
    customer.save()  # copies the name to its relationships
    assert StatusDelta.objects.count() == rows


def test_compacting_keeps_the_counts_and_folds_the_rows(contoso, sam, make_customer):
    customers = [make_customer(contoso) for _ in range(6)]
    for customer in customers[:4]:
        invite_customer(customer, sam)
    for customer in customers[:2]:
        f.attest(customer, sam)
    before = ledger(contoso)
    assert StatusDelta.objects.filter(partner=contoso).count() > 3
    counters.compact([contoso.pk])
    assert ledger(contoso) == before == stored_counts(contoso)
    assert StatusDelta.objects.filter(partner=contoso).count() == len(before)
    assert AcceptanceTally.objects.filter(partner=contoso).count() == 1


def test_the_dashboard_compacts_a_long_ledger(contoso, make_customer, monkeypatch):
    monkeypatch.setattr(counters, "COMPACT_AFTER", 5)
    for _ in range(8):
        make_customer(contoso)
    selectors.status_counts(contoso)
    assert StatusDelta.objects.filter(partner=contoso).count() == 1
    assert counted(selectors.status_counts(contoso)[selectors.OWN]) == live_counts([contoso])


def test_rebuilding_counts_the_live_rows(contoso, sam, make_customer):
    customers = [make_customer(contoso) for _ in range(3)]
    f.attest(customers[0], sam)
    StatusDelta.objects.all().delete()
    AcceptanceTally.objects.all().delete()
    counters.rebuild(connection)
    assert ledger(contoso) == stored_counts(contoso)
    assert AcceptanceTally.objects.aggregate(total=Sum("count"))["total"] == 1


def test_acceptances_are_tallied_by_day_as_they_are_recorded(
    contoso, fabrikam, sam, frank, make_customer, northwind
):
    for customer in [make_customer(contoso) for _ in range(3)]:
        f.attest(customer, sam)
    initech = make_customer(northwind)
    f.attest(initech, frank)  # the provider attests for its reseller's customer
    live = dict(
        Acceptance.objects.values_list("partner_id").annotate(number=Count("id")).order_by()
    )
    tallied = dict(
        AcceptanceTally.objects.values_list("partner_id").annotate(number=Sum("count")).order_by()
    )
    assert tallied == live == {contoso.pk: 3, fabrikam.pk: 1}
