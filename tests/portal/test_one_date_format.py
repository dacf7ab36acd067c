"""One way of writing a date and a moment (portal/formats/), in English and Czech and in the
portal's time zone: invitations, orders and tokens read as every other page does."""

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from orders.models import Order
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]
# 08:20 UTC is 9:20 in Prague (CET) on 28 November.
MOMENT = datetime.datetime(2026, 11, 28, 8, 20, tzinfo=datetime.UTC)
ENGLISH = "Nov. 28, 2026, 9:20 a.m."
CZECH = "28. listopadu 2026 9:20"


@pytest.mark.parametrize(
    ("language", "date", "moment", "chart"),
    [
        ("en", "Nov. 28, 2026", ENGLISH, "Nov. 28"),
        ("cs", "28. listopadu 2026", CZECH, "28. 11."),
    ],
)
def test_each_language_has_one_date_and_one_moment_format(language, date, moment, chart):
    local = timezone.localtime(MOMENT)
    with translation.override(language):
        assert date_format(MOMENT.date(), "DATE_FORMAT") == date
        assert date_format(MOMENT.date(), "SHORT_DATE_FORMAT") == date
        assert date_format(local, "DATETIME_FORMAT") == moment
        assert date_format(local, "SHORT_DATETIME_FORMAT") == moment
        assert date_format(MOMENT.date(), "MONTH_DAY_FORMAT") == chart


def test_templates_write_dates_only_in_the_two_formats():
    used = set()
    for path in (ROOT / "templates").rglob("*.*"):
        used |= set(re.findall(r'\|date(?::"([^"]*)")?', path.read_text()))
    assert used <= {"DATE_FORMAT", "DATETIME_FORMAT"}, used


def test_python_writes_dates_only_in_the_named_formats():
    allowed = {"DATE_FORMAT", "DATETIME_FORMAT", "MONTH_DAY_FORMAT"}
    for app in ROOT.glob("*/apps.py"):
        for path in app.parent.rglob("*.py"):
            text = path.read_text()
            for name in re.findall(r'date_format\([^()]*(?:\([^()]*\))?[^()]*,\s*"([^"]+)"', text):
                assert name in allowed, (path, name)


@pytest.fixture
def invitation_of_the_moment(sam, acme):
    invitation = f.InvitationFactory(partner=sam.partner, customer=acme, created_by=sam)
    type(invitation).objects.filter(pk=invitation.pk).update(created_at=MOMENT)
    return invitation


@pytest.mark.parametrize(("language", "expected"), [("en", ENGLISH), ("cs", CZECH)])
def test_invitations_orders_and_account_info_write_the_same_moment(
    client, sam, acme, invitation_of_the_moment, language, expected
):
    order = f.OrderFactory(customer=acme, partner=sam.partner)
    Order.objects.filter(pk=order.pk).update(placed_at=MOMENT)
    type(acme).objects.filter(pk=acme.pk).update(created_at=MOMENT)
    client.force_login(sam)
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    for url in (
        reverse("invitations:list"),
        reverse("orders:list"),
        reverse("customers:detail", args=[acme.tenant_id]),
    ):
        html = client.get(url, **headers).text
        assert expected in html, url
        assert "11/28/2026" not in html and "28.11.2026" not in html
