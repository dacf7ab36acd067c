"""An invitation lapses with no write: the dashboard's counts follow the clock, through the
ledger's day of lapse and, for today's, a live look (portfolio.selectors.status_counts)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from portfolio import counters, selectors
from portfolio.models import StatusDelta
from tests.portfolio.conftest import counted, invite_customer, lapse, live_counts

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "lapses_in",
    [
        datetime.timedelta(days=-2),  # lapsed on an earlier day
        datetime.timedelta(hours=-1),  # may be earlier today, or yesterday just after midnight
        datetime.timedelta(hours=1),  # later today or tomorrow
        datetime.timedelta(days=3),  # a later day
    ],
)
def test_counts_follow_the_clock_as_invitations_lapse(contoso, sam, make_customer, lapses_in):
    customers = [make_customer(contoso, f"C{number}") for number in range(4)]
    for customer in customers:
        invite_customer(customer, sam)
    lapse(customers[0], contoso, ago=-lapses_in)
    lapse(customers[1], contoso, ago=datetime.timedelta(minutes=-30))
    for now in (
        timezone.now(),
        timezone.now() + datetime.timedelta(minutes=45),
        timezone.now() + datetime.timedelta(hours=2),
        timezone.now() + datetime.timedelta(days=4),
        timezone.now() + datetime.timedelta(days=40),
    ):
        with time_machine.travel(now, tick=False):
            assert counted(selectors.status_counts(contoso)["own"]) == live_counts([contoso]), now


def test_an_invitation_lapsing_at_midnight_utc_is_counted_once(contoso, sam, make_customer):
    customer = make_customer(contoso, "Midnight")
    invite_customer(customer, sam)
    midnight = datetime.datetime.combine(
        timezone.now().astimezone(datetime.UTC).date() + datetime.timedelta(days=2),
        datetime.time(),
        tzinfo=datetime.UTC,
    )
    lapse(customer, contoso, ago=timezone.now() - midnight)
    for now in (
        midnight - datetime.timedelta(seconds=1),
        midnight,
        midnight + datetime.timedelta(seconds=1),
    ):
        with time_machine.travel(now, tick=False):
            assert counted(selectors.status_counts(contoso)["own"]) == live_counts([contoso]), now


def test_compaction_folds_the_days_already_lapsed_into_one_row(contoso, sam, make_customer):
    customers = [make_customer(contoso, f"C{number}") for number in range(6)]
    for days, customer in enumerate(customers):
        invite_customer(customer, sam)
        lapse(
            customer,
            contoso,
            ago=datetime.timedelta(days=days + 1) if days < 4 else -datetime.timedelta(days=days),
        )
    counters.compact([contoso.pk])
    invited = StatusDelta.objects.filter(partner=contoso, status="invited")
    assert invited.filter(until__lt=timezone.now().date()).count() == 1
    assert counted(selectors.status_counts(contoso)["own"]) == live_counts([contoso])
    counters.compact([contoso.pk])
    assert counted(selectors.status_counts(contoso)["own"]) == live_counts([contoso])
