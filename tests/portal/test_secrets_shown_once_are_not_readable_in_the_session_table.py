"""R7 at rest: what waits in a session to be shown once is unreadable in django_session
(issue 10, item 6), expires, and is gone once shown."""

from __future__ import annotations

import datetime
import json
import re
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import RequestFactory
from django.urls import reverse

from invitations.models import Invitation
from portal.once import ShownOnce
from tests.customers.conftest import new_customer_data

pytestmark = pytest.mark.django_db


def session_table() -> str:
    """Every row of django_session as stored, and as SessionStore decodes it."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    rows = list(Session.objects.values_list("session_key", "session_data"))
    assert rows, "the test meant to read sessions, but none was stored"
    return "\n".join(
        f"{key}\n{data}\n{json.dumps(store.decode(data), ensure_ascii=False)}" for key, data in rows
    )


def create_customer(client) -> str:
    """The New customer flow up to its redirect; the confirmation page is not opened. The
    customer is invited to accept, so the page will show a password and a link."""
    data = new_customer_data(agreement="invite", date_agreed=None)
    review = client.post(reverse("customers:new"), data)["Location"]
    response = client.post(review)
    assert response.status_code == 302
    return response["Location"]


def token_of(link: str) -> str:
    match = re.search(r"/admin-center/invitation/([^/]+)/", link)
    assert match, link
    return match.group(1)


def test_a_new_customers_password_and_link_are_not_in_the_session_table(client, sam, template_cz):
    client.force_login(sam)
    confirmation = create_customer(client)
    stored = session_table()

    page = client.get(confirmation)
    password, link = page.context["password"], page.context["invitation_link"]
    assert password and link, "the confirmation page still shows them, once"
    assert password not in stored
    assert link not in stored
    assert token_of(link) not in stored


def test_an_invitation_link_is_not_in_the_session_table(client, sam, acme):
    client.force_login(sam)
    response = client.post(
        f"/invitations/customers/{acme.tenant_id}/", {"kind": "existing_customer"}
    )
    assert response.status_code == 302
    stored = session_table()

    page = client.get(response["Location"])
    token = token_of(page.context["email"].body)
    assert Invitation.objects.count() == 1
    assert token not in stored


def test_a_new_api_token_is_not_in_the_session_table(client, alice):
    client.force_login(alice)
    assert client.post(reverse("tokens:list"), {"name": "billing export"}).status_code == 302
    stored = session_table()

    secret = client.get(reverse("tokens:list")).context["secret"]
    assert secret and secret.startswith("mca_")
    assert secret not in stored
    assert secret[4:] not in stored


def test_a_secret_is_gone_once_shown(client, alice):
    client.force_login(alice)
    client.post(reverse("tokens:list"), {"name": "billing export"})
    assert client.get(reverse("tokens:list")).context["secret"]
    assert client.get(reverse("tokens:list")).context["secret"] is None
    assert "tokens:new_secret" not in client.session


def test_a_secret_not_shown_within_fifteen_minutes_is_gone(client, alice, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
    client.force_login(alice)
    client.post(reverse("tokens:list"), {"name": "billing export"})
    time_machine.shift(datetime.timedelta(minutes=15, seconds=1))
    assert client.get(reverse("tokens:list")).context["secret"] is None
    assert "tokens:new_secret" not in client.session


def test_a_secret_shown_within_fifteen_minutes_is_still_there(client, alice, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
    client.force_login(alice)
    client.post(reverse("tokens:list"), {"name": "billing export"})
    time_machine.shift(datetime.timedelta(minutes=14))
    assert client.get(reverse("tokens:list")).context["secret"]


# --- the sealed values themselves -------------------------------------------------------


@pytest.fixture
def session_request():
    request = RequestFactory().get("/")
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    return request


def test_a_session_copied_to_a_portal_with_another_secret_key_reveals_nothing(
    session_request, settings
):
    once = ShownOnce("test:once")
    once.keep(session_request, "owner", {"password": "Tr0ub4dor&3"})
    settings.SECRET_KEY = "another-key-" + "x" * 50
    assert once.take(session_request, "owner") is None


def test_a_sealed_secret_moved_to_another_owner_is_refused(session_request):
    once = ShownOnce("test:once")
    once.keep(session_request, "mine", "secret-of-mine")
    kept = session_request.session["test:once"]
    kept["yours"] = kept.pop("mine")
    session_request.session["test:once"] = kept
    assert once.take(session_request, "yours") is None


def test_a_secret_altered_at_rest_is_refused(session_request):
    once = ShownOnce("test:once")
    once.keep(session_request, "owner", "secret")
    sealed = session_request.session["test:once"]["owner"]
    flipped = sealed[:-3] + ("A" if sealed[-3] != "A" else "B") + sealed[-2:]
    session_request.session["test:once"] = {"owner": flipped}
    assert once.take(session_request, "owner") is None


def test_expired_secrets_of_other_owners_are_dropped_when_one_is_taken(
    session_request, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
    once = ShownOnce("test:once")
    once.keep(session_request, "forgotten", "old secret")
    time_machine.shift(datetime.timedelta(minutes=10))
    once.keep(session_request, "recent", "new secret")
    once.keep(session_request, "current", "this one")
    time_machine.shift(datetime.timedelta(minutes=6))
    assert once.take(session_request, "current") == "this one"
    assert list(session_request.session["test:once"]) == ["recent"]
    assert once.take(session_request, "recent") == "new secret"
    assert "test:once" not in session_request.session
