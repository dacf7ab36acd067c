"""The one-time code: six digits to the signatory's email, kept as a keyed hash, ten minutes,
five tries, then a new code; new codes are rate-limited."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from signing import services
from signing.models import SigningRequest
from tests.signing.conftest import last_code

pytestmark = pytest.mark.django_db


def test_the_code_goes_to_the_signatory_and_is_kept_hashed(client, acme, start_signing):
    request, path = start_signing(acme)
    client.post(path + "code/")
    assert mail.outbox[-1].to == ["jana@acme.example"]
    code = last_code()
    stored = SigningRequest.objects.get()
    assert stored.code_hash and code not in stored.code_hash
    assert len(stored.code_hash) == 64


def test_the_code_email_is_in_the_agreements_language(client, acme, start_signing):
    _request, path = start_signing(acme, country="CZ", language="cs-CZ")
    client.post(path + "code/")
    assert "jednorázový kód" in mail.outbox[-1].subject
    assert last_code() not in mail.outbox[-1].subject


def test_a_wrong_code_five_times_kills_it(client, acme, start_signing):
    _request, path = start_signing(acme)
    client.post(path + "code/")
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    for _try in range(4):
        response = client.post(path + "verify/", {"code": wrong})
        assert response.status_code == 400
    response = client.post(path + "verify/", {"code": wrong})
    assert "no longer works" in response.content.decode()
    # Even the right code is dead now.
    response = client.post(path + "verify/", {"code": code})
    assert response.status_code == 400
    assert SigningRequest.objects.get().code_verified_at is None


def test_an_expired_code_is_refused(client, acme, start_signing, time_machine):
    _request, path = start_signing(acme)
    client.post(path + "code/")
    code = last_code()
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=10, seconds=1))
    response = client.post(path + "verify/", {"code": code})
    assert response.status_code == 400
    assert "expired" in response.content.decode()


def test_a_new_code_waits_a_minute_and_at_most_five_an_hour(
    client, acme, start_signing, time_machine
):
    _request, path = start_signing(acme)
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    assert client.post(path + "code/").status_code == 302
    assert client.post(path + "code/").status_code == 429
    assert len(mail.outbox) == 1
    for minute in range(1, 5):
        time_machine.move_to(now + datetime.timedelta(minutes=minute), tick=False)
        assert client.post(path + "code/").status_code == 302
    time_machine.move_to(now + datetime.timedelta(minutes=6), tick=False)
    assert client.post(path + "code/").status_code == 429
    time_machine.move_to(now + datetime.timedelta(minutes=61), tick=False)
    assert client.post(path + "code/").status_code == 302
    assert len(mail.outbox) == 6


def test_a_new_code_replaces_the_old(client, acme, start_signing, time_machine):
    _request, path = start_signing(acme)
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    client.post(path + "code/")
    old = last_code()
    time_machine.move_to(now + datetime.timedelta(minutes=2), tick=False)
    client.post(path + "code/")
    new = last_code()
    if old != new:
        assert client.post(path + "verify/", {"code": old}).status_code == 400
    assert client.post(path + "verify/", {"code": new}).status_code == 200


def test_a_code_works_once(client, acme, start_signing):
    request, path = start_signing(acme)
    client.post(path + "code/")
    code = last_code()
    assert client.post(path + "verify/", {"code": code}).status_code == 200
    assert client.post(path + "verify/", {"code": code}).status_code == 400


def test_the_verified_page_runs_out(client, acme, start_signing, verified, time_machine):
    from tests.signing.conftest import accept

    _request, path = start_signing(acme)
    proof = verified(path)
    time_machine.move_to(timezone.now() + services.PROOF_LIFETIME + datetime.timedelta(seconds=1))
    assert accept(client, path, proof).status_code == 403


def test_the_outbox_keeps_no_code_once_sent(client, acme, start_signing):
    from portal.models import OutboxMessage

    _request, path = start_signing(acme)
    client.post(path + "code/")
    code = last_code()
    kept = OutboxMessage.objects.get()
    assert kept.status == "sent"
    assert code not in kept.body_text and code not in kept.subject
