"""The API tokens page: create (shown once), list, revoke; admins manage the partner's."""

import datetime

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.timezone import localtime

from portal.hashing import hash_token
from portal.models import ApiToken
from tests import factories as f
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db

URL = "/api-tokens/"


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("persona", ["alice", "sam", "hana", "bill", "nora"])
def test_every_agent_creates_a_token_shown_once(client, persona, request):
    agent = request.getfixturevalue(persona)
    response = signed_in(client, agent).post(URL, {"name": "nightly sync"})
    assert response.status_code == 302
    assert response["Location"] == URL
    shown = client.get(URL)
    secret = shown.context["secret"]
    token = ApiToken.objects.get()
    assert (token.user, token.name) == (agent, "nightly sync")
    assert token.token_hash == hash_token(secret)
    assert secret in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    again = client.get(URL)
    assert secret not in again.content.decode()
    assert again.context["secret"] is None
    assert ApiClient(secret).get("/v1/agreements").status_code == 200


def test_reloading_after_creating_a_token_creates_no_second_one(client, sam):
    signed_in(client, sam)
    response = client.post(URL, {"name": "nightly sync"}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    secret = response.context["secret"]
    # The browser's reload repeats the GET it landed on, never the POST.
    reloaded = client.get(URL)
    assert ApiToken.objects.count() == 1
    assert secret not in reloaded.content.decode()


def test_the_secret_is_never_kept_in_the_session_after_it_was_shown(client, sam):
    signed_in(client, sam).post(URL, {"name": "nightly sync"})
    assert "tokens:new_secret" in client.session
    client.get(URL)
    assert "tokens:new_secret" not in client.session


def test_the_page_after_creating_a_token_is_never_cached(client, sam):
    signed_in(client, sam).post(URL, {"name": "nightly sync"})
    response = client.get(URL)
    assert "no-store" in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"]


def test_an_invalid_post_does_not_show_a_waiting_secret(client, sam):
    signed_in(client, sam).post(URL, {"name": "first"})
    response = client.post(URL, {"name": ""})
    assert response.status_code == 400
    assert response.context["secret"] is None
    assert client.get(URL).context["secret"] is not None


def test_a_token_needs_a_name(client, sam):
    response = signed_in(client, sam).post(URL, {"name": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_too_long_name_is_refused(client, sam):
    response = signed_in(client, sam).post(URL, {"name": "x" * 101})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_an_agent_sees_only_its_own_tokens(client, sam, hana):
    ApiToken.issue(user=sam, name="sams")
    ApiToken.issue(user=hana, name="hanas")
    names = [t.name for t in signed_in(client, sam).get(URL).context["tokens"]]
    assert names == ["sams"]


def test_an_admin_sees_every_token_of_its_partner_and_no_other(client, alice, sam, lisa):
    ApiToken.issue(user=sam, name="sams")
    ApiToken.issue(user=lisa, name="litwares")
    response = signed_in(client, alice).get(URL)
    assert [t.name for t in response.context["tokens"]] == ["sams"]
    assert "sam@contoso.example" in response.content.decode()


def test_an_agent_revokes_its_own_token(client, sam):
    token, secret = ApiToken.issue(user=sam, name="old")
    response = signed_in(client, sam).post(f"{URL}{token.pk}/revoke/", follow=True)
    assert response.redirect_chain[-1][0] == URL
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == sam
    assert "is revoked" in response.content.decode()
    assert ApiClient(secret).get("/v1/agreements").status_code == 401


def test_an_admin_revokes_a_colleagues_token(client, alice, sam):
    token, _secret = ApiToken.issue(user=sam, name="leaked")
    signed_in(client, alice).post(f"{URL}{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_by == alice


@pytest.mark.parametrize("persona", ["sam", "hana", "bill"])
def test_a_non_admin_cannot_revoke_a_colleagues_token(client, persona, request, alice):
    token, _secret = ApiToken.issue(user=alice, name="admins")
    response = signed_in(client, request.getfixturevalue(persona)).post(f"{URL}{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_another_partners_token_is_404(client, alice, lisa):
    token, _secret = ApiToken.issue(user=lisa, name="litwares")
    assert signed_in(client, alice).post(f"{URL}{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_needs_a_post(client, sam):
    token, _secret = ApiToken.issue(user=sam, name="old")
    assert signed_in(client, sam).get(f"{URL}{token.pk}/revoke/").status_code == 405


def test_customer_admins_and_operators_get_403(client, acme_admin, operator):
    assert signed_in(client, acme_admin).get(URL).status_code == 403
    client.logout()
    assert signed_in(client, operator).get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_page_costs_the_same_for_1_or_30_tokens(client, alice, contoso):
    ApiToken.issue(user=alice, name="first")
    signed_in(client, alice)
    client.get(URL)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    for n in range(30):
        ApiToken.issue(user=f.AgentFactory(partner=contoso), name=f"t{n}")
    with CaptureQueriesContext(connection) as large:
        client.get(URL)
    assert len(small) == len(large) <= 6


def test_the_page_is_in_czech(client, sam):
    ApiToken.issue(user=sam, name="sync")
    signed_in(client, sam)
    client.cookies["django_language"] = "cs"
    with translation.override("cs"):
        response = client.get(URL, headers={"Accept-Language": "cs"})
    html = response.content.decode()
    assert '<html lang="cs">' in html


def test_a_new_token_expires_after_90_days_unless_the_agent_chooses(client, sam):
    form = signed_in(client, sam).get(URL).context["form"]
    assert form["lifetime_days"].value() == 90
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post(URL, {"name": "offered default", "lifetime_days": "90"})
        client.post(URL, {"name": "not said"})
    for token in ApiToken.objects.all():
        assert token.expires_at == start + datetime.timedelta(days=90)


@pytest.mark.parametrize("days", [30, 180, 365])
def test_the_agent_chooses_how_long_a_token_lives(client, sam, days):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        response = signed_in(client, sam).post(URL, {"name": "sync", "lifetime_days": str(days)})
    assert response.status_code == 302
    assert ApiToken.objects.get().expires_at == start + datetime.timedelta(days=days)


@pytest.mark.parametrize("days", ["0", "3650", "ninety"])
def test_a_lifetime_not_offered_is_refused(client, sam, days):
    response = signed_in(client, sam).post(URL, {"name": "sync", "lifetime_days": days})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_the_page_shows_when_each_token_expires_and_which_have_expired(client, sam):
    start = timezone.now()
    with time_machine.travel(start - datetime.timedelta(days=40), tick=False):
        ApiToken.issue(user=sam, name="old sync", lifetime_days=30)
    fresh, _secret = ApiToken.issue(user=sam, name="new sync", lifetime_days=90)
    html = signed_in(client, sam).get(URL).content.decode()
    assert "Expires" in html
    assert date_format(localtime(fresh.expires_at), "DATETIME_FORMAT") in html
    old_row = html.split("old sync", 1)[1].split("</tr>", 1)[0]
    assert "Expired" in old_row and "Revoke" not in old_row
    new_row = html.split("new sync", 1)[1].split("</tr>", 1)[0]
    assert "Active" in new_row and "Revoke" in new_row
