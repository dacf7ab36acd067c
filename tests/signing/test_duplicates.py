"""A second open link for the same customer and signatory is refused, naming the open one; a
customer whose acceptance of the version in force is on record gets a warning first."""

import datetime

import pytest
from django.utils import timezone

from signing import services
from signing.models import SigningRequest, SigningStatus
from tests import factories as f
from tests.signing.conftest import SIGNATORY

pytestmark = pytest.mark.django_db

FORM = {
    "first_name": "Jana",
    "last_name": "Nováková",
    "email": "JANA@acme.example",
    "agreement": "CZ:cs-CZ",
    "expires_in_days": 14,
}


def test_a_second_open_link_for_the_same_signatory_is_refused_naming_the_first(
    client, sam, acme, start_signing
):
    first, _path = start_signing(acme)
    client.force_login(sam)
    response = client.post(f"/signing/customers/{acme.tenant_id}/start/", FORM)
    assert response.status_code == 409
    assert str(first.public_id) in response.content.decode()
    assert SigningRequest.objects.count() == 1


def test_another_signatory_may_have_a_link_of_their_own(acme, start_signing):
    start_signing(acme)
    start_signing(acme, signatory=services.Signatory("Petr", "Novák", "petr@acme.example"))
    assert SigningRequest.objects.count() == 2


def test_an_expired_link_doesnt_count_as_open(acme, start_signing, time_machine):
    start_signing(acme, expires_in_days=1)
    time_machine.move_to(timezone.now() + datetime.timedelta(hours=25))
    second, _path = start_signing(acme)
    assert SigningRequest.objects.get(pk__lt=second.pk).status == SigningStatus.EXPIRED


def test_a_customer_on_record_for_this_version_warns_before_a_link(client, sam, acme):
    f.attest(acme, sam)
    client.force_login(sam)
    response = client.post(f"/signing/customers/{acme.tenant_id}/start/", FORM)
    assert response.status_code == 409
    assert "already on record" in response.content.decode()
    assert 'name="on_record_acknowledged"' in response.content.decode()
    response = client.post(
        f"/signing/customers/{acme.tenant_id}/start/", {**FORM, "on_record_acknowledged": "on"}
    )
    assert response.status_code == 302


def test_the_service_refuses_an_on_record_customer_unless_acknowledged(sam, acme, start_signing):
    f.attest(acme, sam)
    with pytest.raises(services.AlreadyOnRecord):
        start_signing(acme)
    request, _path = start_signing(acme, signatory=SIGNATORY, on_record_acknowledged=True)
    assert request.status == SigningStatus.PENDING
