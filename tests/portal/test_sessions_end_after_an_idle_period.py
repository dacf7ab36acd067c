"""A signed-in session ends after SESSION_IDLE_TIMEOUT without a request (default 30 minutes),
on every site, and SESSION_COOKIE_AGE after sign-in however busy."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session

from portal.models import ApiToken
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


def test_the_default_idle_timeout_is_30_minutes():
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60


def test_an_agent_active_within_30_minutes_stays_signed_in(client, alice, clock):
    client.force_login(alice)
    for _ in range(4):
        assert client.get("/dashboard/").status_code == 200
        clock.shift(29 * MINUTE)
    assert client.get("/dashboard/").status_code == 200


def test_an_agent_idle_for_30_minutes_is_signed_out_and_told_why(client, alice, clock):
    client.force_login(alice)
    assert client.get("/dashboard/").status_code == 200
    clock.shift(30 * MINUTE)

    response = client.get("/customers/?q=acme")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/customers/%3Fq%3Dacme"
    page = client.get(response["Location"])
    assert "signed out after 30 minutes without activity" in page.text
    assert "_auth_user_id" not in client.session
    assert client.get("/dashboard/")["Location"].startswith("/login/")


def test_the_ended_session_is_gone_from_the_database(client, alice, clock):
    client.force_login(alice)
    client.get("/dashboard/")
    ended = client.session.session_key
    clock.shift(31 * MINUTE)
    client.get("/dashboard/")
    assert not Session.objects.filter(session_key=ended).exists()


def test_a_customer_admin_idle_too_long_goes_to_the_admin_centers_sign_in(
    client, acme_admin, clock
):
    client.force_login(acme_admin)
    assert client.get("/admin-center/").status_code == 200
    clock.shift(31 * MINUTE)
    response = client.get("/admin-center/partners/")
    assert response.status_code == 302
    assert response["Location"] == "/admin-center/login/?next=/admin-center/partners/"
    assert "without activity" in client.get(response["Location"]).text


def test_an_operator_idle_too_long_goes_to_the_admins_sign_in(client, operator, clock):
    client.force_login(operator)
    assert client.get("/admin/").status_code == 200
    clock.shift(31 * MINUTE)
    response = client.get("/admin/portal/partner/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/portal/partner/"
    assert "without activity" in client.get(response["Location"]).text


def test_a_form_sent_after_the_idle_timeout_changes_nothing(client, alice, clock):
    client.force_login(alice)
    client.get("/api-tokens/")
    clock.shift(45 * MINUTE)
    response = client.post("/api-tokens/", {"name": "nightly sync"})
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert not ApiToken.objects.exists()


def test_the_idle_timeout_is_a_setting(client, alice, clock, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    client.force_login(alice)
    client.get("/dashboard/")
    clock.shift(4 * MINUTE)
    assert client.get("/dashboard/").status_code == 200
    clock.shift(5 * MINUTE)
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert "signed out after 5 minutes" in client.get(response["Location"]).text


def test_a_busy_session_still_ends_at_the_absolute_limit(client, alice, clock):
    client.force_login(alice)
    limit = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    elapsed = datetime.timedelta()
    while elapsed < limit:
        assert client.get("/dashboard/").status_code == 200
        clock.shift(20 * MINUTE)
        elapsed += 20 * MINUTE
    clock.move_to(START + limit + MINUTE, tick=False)
    assert client.get("/dashboard/")["Location"].startswith("/login/")


def test_the_api_is_not_subject_to_the_web_sessions_idle_timeout(alice, clock):
    _token, secret = ApiToken.issue(user=alice, name="script")
    api = ApiClient(secret)
    assert api.get("/v1/agreements").status_code == 200
    clock.shift(3 * 60 * MINUTE)
    assert api.get("/v1/agreements").status_code == 200


def test_the_sign_in_message_is_in_czech(client, alice, clock):
    client.force_login(alice)
    client.get("/dashboard/")
    clock.shift(31 * MINUTE)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cs"
    response = client.get("/dashboard/", follow=True)
    assert "Byli jste odhlášeni po 30 minutách nečinnosti" in response.text
