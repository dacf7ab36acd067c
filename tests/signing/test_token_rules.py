"""R8 for signing links: the token is random and stored only as a hash; it works until it
expires, is revoked or replaced, and is answered once; a link names its own customer only."""

import datetime

import pytest
from django.utils import timezone

from agreements.models import Acceptance
from portal.hashing import hash_token
from signing import services
from signing.models import SigningRequest, SigningStatus
from tests.signing.conftest import accept

pytestmark = pytest.mark.django_db


def test_the_token_is_long_random_and_stored_only_hashed(acme, start_signing):
    request, path = start_signing(acme)
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 22  # ≥ 128 bits in URL-safe base64
    assert request.token_hash == hash_token(token)
    assert token not in str(SigningRequest.objects.values().get())


def test_an_unknown_token_is_not_found(client, acme, start_signing):
    start_signing(acme)
    response = client.get("/signing/sign/not-a-real-token/")
    assert response.status_code == 404
    assert "This link doesn't work" in response.content.decode()


def test_opening_the_link_marks_it_opened(client, acme, start_signing):
    request, path = start_signing(acme)
    client.get(path)
    request.refresh_from_db()
    assert request.status == SigningStatus.OPENED and request.opened_at is not None


def test_an_expired_link_no_longer_works(client, acme, start_signing, time_machine):
    request, path = start_signing(acme, expires_in_days=1)
    time_machine.move_to(timezone.now() + datetime.timedelta(days=1, minutes=1))
    response = client.get(path)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert client.post(path + "code/").status_code == 410


def test_a_revoked_link_no_longer_works(client, sam, acme, start_signing, verified):
    request, path = start_signing(acme)
    proof = verified(path)
    client.force_login(sam)
    client.post(f"/signing/requests/{request.public_id}/revoke/")
    client.logout()
    request.refresh_from_db()
    assert request.status == SigningStatus.REVOKED
    assert client.get(path).status_code == 410
    assert accept(client, path, proof).status_code == 410
    assert not Acceptance.objects.exists()


def test_resending_gives_a_new_link_and_kills_the_old(client, sam, acme, start_signing):
    old, old_path = start_signing(acme)
    client.force_login(sam)
    response = client.post(f"/signing/requests/{old.public_id}/resend/")
    assert response.status_code == 302
    new = SigningRequest.objects.exclude(pk=old.pk).get()
    page = client.get(response.url).content.decode()
    assert "/signing/sign/" in page
    old.refresh_from_db()
    assert old.status == SigningStatus.REVOKED and old.replaced_by == new
    client.logout()
    assert client.get(old_path).status_code == 410


def test_a_used_link_records_once_and_then_says_thank_you(client, acme, start_signing, verified):
    request, path = start_signing(acme)
    proof = verified(path)
    assert accept(client, path, proof).status_code == 302
    again = accept(client, path, proof)
    assert again.status_code == 200
    assert "is on record" in again.content.decode()
    assert Acceptance.objects.count() == 1
    assert client.post(path + "code/").status_code == 200  # the thank-you page, no code


def test_an_accepted_link_cannot_be_resent_or_revoked(sam, acme, start_signing, client, verified):
    request, path = start_signing(acme)
    accept(client, path, verified(path))
    request.refresh_from_db()
    with pytest.raises(services.SigningNotOpen):
        services.resend_signing(request=request, started_by=sam)
    with pytest.raises(services.SigningNotOpen):
        services.revoke_signing(request=request)


def test_a_link_records_for_its_own_customer_only(
    client, acme, start_signing, verified, contoso, template_cz
):
    from tests import factories as f

    other = f.CustomerFactory(company_name="Other s.r.o.", domain="other.onmicrosoft.com")
    f.RelationshipFactory(partner=contoso, customer=other)
    request, path = start_signing(acme)
    accept(client, path, verified(path))
    assert Acceptance.objects.get().customer == acme
    assert not Acceptance.objects.filter(customer=other).exists()


def test_a_proof_from_another_link_does_not_open_this_one(client, acme, start_signing, verified):
    from signing.services import Signatory

    _first, first_path = start_signing(acme)
    _second, second_path = start_signing(
        acme, signatory=Signatory("Petr", "Novák", "petr@acme.example")
    )
    proof = verified(first_path)
    response = accept(client, second_path, proof, typed_signature="Petr Novák")
    assert response.status_code == 403
    assert not Acceptance.objects.exists()
