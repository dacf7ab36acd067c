"""What every signed-in request reads before its page: the session (portal.session_store) and
the user with their partner (portal.auth_backends), each in one written-out statement,
prepared on PostgreSQL. They answer as Django's own did."""

import datetime

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import clear_script_prefix, reverse, set_script_prefix
from django.utils import timezone

from portal import context_processors
from portal.auth_backends import PortalBackend
from portal.session_store import SessionStore
from tests import factories as f


def test_a_saved_session_reads_back_in_one_query(db):
    saved = SessionStore()
    saved["answer"] = {"nested": [1, "dva"]}
    saved.save()
    again = SessionStore(saved.session_key)
    with CaptureQueriesContext(connection) as queries:
        assert again["answer"] == {"nested": [1, "dva"]}
    assert len(queries) == 1
    assert again.session_key == saved.session_key


def test_an_expired_session_reads_as_none_and_loses_its_key(db):
    saved = SessionStore()
    saved["answer"] = 42
    saved.save()
    Session.objects.filter(session_key=saved.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    again = SessionStore(saved.session_key)
    assert again.load() == {}
    assert again.session_key is None


def test_an_unknown_or_malformed_key_reads_as_an_empty_session(db):
    assert SessionStore("x" * 32).load() == {}
    assert SessionStore("short").load() == {}  # refused as a key: no query with it


def test_a_session_saved_again_keeps_its_data(db):
    store = SessionStore()
    store["first"] = 1
    store.save()
    store = SessionStore(store.session_key)
    store["second"] = 2
    store.save()
    assert dict(SessionStore(store.session_key).load()) == {"first": 1, "second": 2}


def test_the_user_comes_with_their_partner_in_one_query(alice):
    with CaptureQueriesContext(connection) as queries:
        user = PortalBackend().get_user(alice.pk)
        assert user == alice
        assert user.partner.name == alice.partner.name
        assert user.partner.pk == alice.partner_id
        assert user.email == "alice@contoso.example"
        assert user.password == alice.password and user.role == alice.role
    assert len(queries) == 1
    assert user._state.adding is False and user._state.db == "default"


def test_an_operator_without_a_partner_has_none_and_no_further_query(operator):
    with CaptureQueriesContext(connection) as queries:
        user = PortalBackend().get_user(operator.pk)
        assert user == operator and user.partner is None and user.is_staff
    assert len(queries) == 1


def test_an_unknown_or_inactive_user_is_nobody(alice):
    assert PortalBackend().get_user(alice.pk + 1000) is None
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert PortalBackend().get_user(alice.pk) is None


def test_a_signed_in_page_reads_session_and_user_once_each(client, alice):
    client.force_login(alice)
    assert client.session[SESSION_KEY] == str(alice.pk)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("customers:list"))
    assert response.status_code == 200
    assert response.wsgi_request.user == alice
    reads = [q["sql"] for q in queries.captured_queries]
    sessions = [sql for sql in reads if "django_session" in sql or "live_session" in sql]
    users = [sql for sql in reads if "portal_user" in sql or "signed_in_user" in sql]
    assert len(sessions) == 1 and len(users) == 1


def test_the_navigation_follows_the_script_prefix(client, alice):
    """Its addresses are looked up once, but per prefix (an app served under a path)."""
    client.force_login(alice)
    request = client.get(reverse("dashboard")).wsgi_request
    plain = {
        item["name"]: item["url"] for item in context_processors.navigation(request)["navigation"]
    }
    set_script_prefix("/portal/")
    try:
        prefixed = context_processors._navigation(request)["navigation"]
    finally:
        clear_script_prefix()
    assert plain["customers:list"] == "/customers/"
    assert {item["name"]: item["url"] for item in prefixed}[
        "customers:list"
    ] == "/portal/customers/"


def test_an_entry_this_site_does_not_serve_is_left_out(settings, alice, rf):
    """An URLconf without an entry's page (a deployment without it) shows no link to it."""
    settings.ROOT_URLCONF = "tests.portal.urls_without_orders"
    request = rf.get("/")
    request.user = alice
    names = [item["name"] for item in context_processors._navigation(request)["navigation"]]
    assert "orders:list" not in names and "customers:list" in names


def test_signing_in_with_a_password_then_reads_the_user_through_the_backend(client, contoso):
    agent = f.AgentFactory(email="new@contoso.example", partner=contoso)
    signed_in = client.post(
        reverse("login"), {"username": "new@contoso.example", "password": f.PASSWORD}
    )
    assert signed_in.status_code == 302
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert response.wsgi_request.user == agent
    assert response.wsgi_request.user.partner == contoso
