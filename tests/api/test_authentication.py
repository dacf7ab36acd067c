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


def test_a_token_works_until_its_expiry_and_is_401_after_with_a_description_that_says_so(alice):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        token, secret = ApiToken.issue(user=alice, name="script", lifetime_days=30)
    assert token.expires_at == start + datetime.timedelta(days=30)
    client = ApiClient(secret)
    with time_machine.travel(token.expires_at - datetime.timedelta(seconds=1), tick=False):
        assert client.get("/v1/agreements").status_code == 200
    with time_machine.travel(token.expires_at, tick=False):
        body = assert_error(client.get("/v1/agreements"), 401, 401)
    assert "expired" in body["description"]
    assert f"{token.expires_at:%Y-%m-%d}" in body["description"]
    assert "API tokens page" in body["description"]


def test_an_expired_token_is_not_active(alice):
    token, _secret = ApiToken.issue(user=alice, name="script")
    assert token.is_active and ApiToken.objects.active().filter(pk=token.pk).exists()
    with time_machine.travel(token.expires_at + datetime.timedelta(minutes=1)):
        assert token.is_expired and not token.is_active
        assert not ApiToken.objects.active().filter(pk=token.pk).exists()


def test_an_expired_and_revoked_token_says_only_that_it_is_not_valid(alice):
    token, secret = ApiToken.issue(user=alice, name="script")
    token.revoke(by=alice)
    with time_machine.travel(token.expires_at + datetime.timedelta(days=1)):
        body = assert_error(ApiClient(secret).get("/v1/agreements"), 401, 401)
    assert "revoked" in body["description"]


def test_a_token_lives_at_most_a_year(alice):
    with pytest.raises(ValueError, match="1 to 365 days"):
        ApiToken.issue(user=alice, name="forever", lifetime_days=3650)
    assert not ApiToken.objects.exists()
