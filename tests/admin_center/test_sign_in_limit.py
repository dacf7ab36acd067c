"""Failed sign-ins are limited on both sign-in pages (django-axes, AXES_FAILURE_LIMIT)."""

import pytest
from django.conf import settings

from tests.factories import PASSWORD

PAGES = {"agent": "/login/", "customer": "/admin-center/login/"}


@pytest.fixture
def accounts(alice, acme_admin):
    return {"agent": alice, "customer": acme_admin}


def sign_in(client, url, email, password):
    return client.post(url, {"username": email, "password": password}, REMOTE_ADDR="198.51.100.4")


@pytest.mark.parametrize("who", ["agent", "customer"])
def test_too_many_failures_lock_the_sign_in(client, accounts, who):
    url, user = PAGES[who], accounts[who]
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, url, user.email, "wrong password")
        assert response.status_code == 200
    locked = sign_in(client, url, user.email, "wrong password")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.text
    # Even the right password is refused while locked.
    after = sign_in(client, url, user.email, PASSWORD)
    assert after.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("who", ["agent", "customer"])
def test_a_few_failures_then_success_signs_in(client, accounts, who):
    url, user = PAGES[who], accounts[who]
    for _ in range(settings.AXES_FAILURE_LIMIT - 2):
        sign_in(client, url, user.email, "wrong password")
    response = sign_in(client, url, user.email, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_lock_is_per_account(client, acme_admin, alice):
    url = PAGES["customer"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, url, acme_admin.email, "wrong password")
    assert sign_in(client, PAGES["agent"], alice.email, PASSWORD).status_code == 302


@pytest.mark.parametrize("who", ["agent", "customer"])
def test_another_spelling_of_a_locked_account_is_still_locked(client, accounts, who):
    """Sign-in ignores case, so the count must too: otherwise every capitalisation of the
    address would get its own five guesses."""
    url, user = PAGES[who], accounts[who]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, url, user.email, "wrong password")
    for spelling in (user.email.upper(), user.email.title(), f"  {user.email}  "):
        response = sign_in(client, url, spelling, PASSWORD)
        assert response.status_code == 429, spelling
    assert "_auth_user_id" not in client.session


def test_the_admin_center_lockout_page_keeps_the_admin_centers_look(client, acme_admin):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        locked = sign_in(client, PAGES["customer"], acme_admin.email, "wrong password")
    assert locked.status_code == 429
    assert "Admin center for customers of CSP partners." in locked.text
    assert "ask your partner to help you" in locked.text
