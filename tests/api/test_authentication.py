import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from portal.hashing import hash_token
from portal.models import ApiToken
from tests.api.conftest import ApiClient, assert_error

pytestmark = pytest.mark.django_db


def test_a_call_without_a_token_is_401(anonymous_api):
    response = anonymous_api.get("/v1/agreements")
    body = assert_error(response, 401, 401)
    assert "Bearer" in body["description"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_bad_token_is_401(db):
    assert_error(ApiClient("mca_not-a-real-token").get("/v1/agreements"), 401, 401)


def test_a_malformed_authorization_header_is_401(db):
    client = Client(headers={"Authorization": "Bearer two parts"})
    assert_error(client.get("/v1/agreements"), 401, 401)


def test_a_revoked_token_is_401(alice):
    token, secret = ApiToken.issue(user=alice, name="script")
    client = ApiClient(secret)
    assert client.get("/v1/agreements").status_code == 200
    token.revoke(by=alice)
    assert_error(client.get("/v1/agreements"), 401, 401)


def test_a_deactivated_agents_token_is_401(sam):
    _token, secret = ApiToken.issue(user=sam, name="script")
    sam.is_active = False
    sam.save()
    assert_error(ApiClient(secret).get("/v1/agreements"), 401, 401)


def test_a_signed_in_web_session_is_not_an_api_credential(client, alice):
    client.force_login(alice)
    assert_error(client.get("/v1/agreements"), 401, 401)


def test_tokens_are_stored_only_as_their_sha256(alice):
    token, secret = ApiToken.issue(user=alice, name="script")
    assert len(secret) >= 40
    assert token.token_hash == hash_token(secret)
    assert secret not in token.token_hash
    assert not ApiToken.objects.filter(token_hash=secret).exists()


def test_token_calls_need_no_csrf_token(alice, template_cz):
    _token, secret = ApiToken.issue(user=alice, name="script")
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {secret}"})
    response = client.post("/v1/customers", "{}", content_type="application/json")
    assert response.status_code == 400  # validated, not refused for CSRF


def test_last_used_is_recorded_at_most_once_a_minute(alice):
    token, secret = ApiToken.issue(user=alice, name="script")
    client = ApiClient(secret)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get("/v1/agreements")
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + datetime.timedelta(seconds=30), tick=False):
        client.get("/v1/agreements")
    token.refresh_from_db()
    assert token.last_used_at == start
    later = start + datetime.timedelta(seconds=61)
    with time_machine.travel(later, tick=False):
        client.get("/v1/agreements")
    token.refresh_from_db()
    assert token.last_used_at == later


def test_a_customer_admin_cannot_hold_a_working_token(acme_admin):
    _token, secret = ApiToken.issue(user=acme_admin, name="sneaky")
    assert_error(ApiClient(secret).get("/v1/agreements"), 401, 401)
