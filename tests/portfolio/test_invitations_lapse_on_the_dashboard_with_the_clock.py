"""An invitation lapses with no write: the dashboard's counts follow the clock, through the
ledger's day of lapse and, for today's, a live look (portfolio.selectors.status_counts)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from portfolio import selectors
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
