"""manage.py compact_portfolio_counters folds the ledgers and keeps the counts;
--rebuild recounts them from the live rows."""

import pytest
from django.core.management import call_command

from portfolio import selectors
from portfolio.models import StatusDelta
from tests.portfolio.conftest import counted, live_counts

pytestmark = pytest.mark.django_db


def test_the_command_compacts_and_rebuilds(contoso, make_customer):
    for _ in range(4):
        make_customer(contoso)
    call_command("compact_portfolio_counters", stdout=None)
    assert StatusDelta.objects.filter(partner=contoso).count() == 1
    StatusDelta.objects.all().delete()
    call_command("compact_portfolio_counters", "--rebuild", stdout=None)
    assert counted(selectors.status_counts(contoso)[selectors.OWN]) == live_counts([contoso])
