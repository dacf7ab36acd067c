"""The signatory may decline, with an optional reason; the agent sees it on Account info and
nothing is recorded."""

import pytest

from agreements.models import Acceptance
from signing.models import SigningRequest, SigningStatus
from tests.signing.conftest import accept

pytestmark = pytest.mark.django_db


def test_the_signatory_declines_with_a_reason(client, sam, acme, start_signing, verified):
    request, path = start_signing(acme)
    proof = verified(path)
    response = client.post(
        path + "answer/", {"proof": proof, "reason": "Not our signatory.", "decline": "1"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == SigningStatus.DECLINED
    assert request.decline_reason == "Not our signatory."
    assert not Acceptance.objects.exists()
    assert "You declined" in client.get(path).content.decode()
    client.force_login(sam)
    page = client.get(f"/customers/{acme.tenant_id}/").content.decode()
    assert "Declined" in page and "Not our signatory." in page


def test_accepting_needs_the_box_ticked_and_the_name_typed(client, acme, start_signing, verified):
    _request, path = start_signing(acme)
    proof = verified(path)
    assert accept(client, path, proof, confirm="").status_code == 400
    response = accept(client, path, proof, typed_signature="J. N.")
    assert response.status_code == 400
    assert "Type your full name" in response.content.decode()
    assert not Acceptance.objects.exists()
    assert accept(client, path, proof, typed_signature="  jana   nováková ").status_code == 302


def test_the_box_is_never_ticked_in_advance(client, acme, start_signing, verified):
    _request, path = start_signing(acme)
    client.post(path + "code/")
    from tests.signing.conftest import last_code

    page = client.post(path + "verify/", {"code": last_code()}).content.decode()
    box = page.split('name="confirm"', 1)[1].split(">", 1)[0]
    assert "checked" not in box


def test_the_email_cannot_be_changed_by_the_signatory(client, acme, start_signing, verified):
    request, path = start_signing(acme)
    proof = verified(path)
    accept(client, path, proof, email="someone@else.example")
    assert Acceptance.objects.get().email == "jana@acme.example"
    assert SigningRequest.objects.get().email == "jana@acme.example"


def test_expiry_and_revocation_show_on_account_info(client, sam, acme, start_signing):
    request, _path = start_signing(acme)
    client.force_login(sam)
    client.post(f"/signing/requests/{request.public_id}/revoke/")
    page = client.get(f"/customers/{acme.tenant_id}/").content.decode()
    assert "Revoked" in page
