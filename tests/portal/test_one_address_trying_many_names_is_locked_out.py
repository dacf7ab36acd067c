"""django-axes also stops one address spraying passwords over many names: AXES_IP_FAILURE_LIMIT
failures within the cool-off lock the address out, whatever names it tried (the per-account
limit, AXES_FAILURE_LIMIT, is tested in tests/admin_center/test_sign_in_limit.py)."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SPRAYER = "203.0.113.66"
COLLEAGUE = "203.0.113.99"


def sign_in(client, email, password, address=SPRAYER, url="/login/"):
    return client.post(url, {"username": email, "password": password}, REMOTE_ADDR=address)


def spray(client, names: int, url="/login/") -> list[int]:
    return [
        sign_in(client, f"victim{n}@example.com", "Winter2026!", url=url).status_code
        for n in range(names)
    ]


def test_the_address_limit_is_higher_than_the_account_limit():
    assert settings.AXES_FAILURE_LIMIT < settings.AXES_IP_FAILURE_LIMIT <= 30


def test_one_address_failing_with_30_names_is_locked_out(client, alice):
    answers = spray(client, 30)
    limit = settings.AXES_IP_FAILURE_LIMIT
    # Each name fails once, far below the per-account limit; the address's count locks it.
    assert answers[: limit - 1] == [200] * (limit - 1)
    assert set(answers[limit - 1 :]) == {429}
    # Even a real account with its right password is refused from that address...
    locked = sign_in(client, alice.email, PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.text
    assert "_auth_user_id" not in client.session
    # ...while the same account signs in from elsewhere.
    assert sign_in(client, alice.email, PASSWORD, address=COLLEAGUE).status_code == 302


def test_the_admin_center_sign_in_counts_the_same_address(client, acme_admin):
    answers = spray(client, 30, url="/admin-center/login/")
    assert 429 in answers
    response = sign_in(client, acme_admin.email, PASSWORD, url="/admin-center/login/")
    assert response.status_code == 429


def test_fewer_failures_than_the_address_limit_lock_nobody_out(client, alice):
    assert set(spray(client, settings.AXES_IP_FAILURE_LIMIT - 1)) == {200}
    assert sign_in(client, alice.email, PASSWORD).status_code == 302


def test_the_address_may_try_again_after_the_cool_off(client, alice, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
    spray(client, 30)
    assert sign_in(client, alice.email, PASSWORD).status_code == 429
    time_machine.shift(datetime.timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1))
    assert sign_in(client, alice.email, PASSWORD).status_code == 302
