"""Every template's |date is portal.templatetags.remembered_dates: Django's answer, kept per
value, zone, format and language, so a remembered answer is never another's."""

import datetime
import zoneinfo

from django.template import engines
from django.template.defaultfilters import date as django_date
from django.utils import timezone, translation

from portal.templatetags.remembered_dates import _formatted


def render(source, **context):
    return engines["django"].from_string(source).render(context)


def test_templates_use_the_remembered_filter_and_answer_as_django_does():
    day = datetime.date(2026, 11, 28)
    _formatted.cache_clear()
    for language, expected in (("en", "Nov. 28, 2026"), ("cs", "28. listopadu 2026")):
        with translation.override(language):
            assert render('{{ d|date:"DATE_FORMAT" }}', d=day) == expected
            assert render('{{ d|date:"DATE_FORMAT" }}', d=day) == django_date(day, "DATE_FORMAT")
    assert _formatted.cache_info().hits == 2


def test_the_same_instant_in_two_zones_is_two_answers():
    instant = datetime.datetime(2026, 11, 28, 8, 20, tzinfo=datetime.UTC)
    prague = instant.astimezone(zoneinfo.ZoneInfo("Europe/Prague"))
    assert instant == prague
    with translation.override("en"), timezone.override("UTC"):
        in_utc = render('{{ d|date:"H:i T" }}', d=instant)
    with translation.override("en"), timezone.override("Europe/Prague"):
        in_prague = render('{{ d|date:"H:i T" }}', d=instant)
    assert (in_utc, in_prague) == ("08:20 UTC", "09:20 CET")


def test_what_is_not_a_date_goes_to_django_as_it_is():
    assert render("{{ d|date }}", d="") == ""
    assert render("{{ d|date }}", d=None) == ""
    assert render('{{ d|date:"Y" }}', d="not a date") == ""
