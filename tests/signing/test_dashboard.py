"""The dashboard lists signing links the signatory declined or let expire, until resent."""

import datetime

import pytest
from django.utils import timezone

from tests.signing.conftest import SIGNATORY

pytestmark = pytest.mark.django_db


def test_declined_and_expired_links_show_on_the_dashboard_until_resent(
    client, sam, acme, start_signing, verified, time_machine
):
    from signing import services

    declined, path = start_signing(acme)
    proof = verified(path)
    client.post(path + "answer/", {"proof": proof, "reason": "Wrong person.", "decline": "1"})
    start_signing(
        acme, signatory=services.Signatory("Petr", "Novák", "petr@acme.example"), expires_in_days=1
    )
    time_machine.move_to(timezone.now() + datetime.timedelta(days=2))
    client.force_login(sam)
    page = client.get("/dashboard/").content.decode()
    assert "Signing links declined or expired" in page
    assert "Wrong person." in page and "petr@acme.example" in page
    declined.refresh_from_db()
    services.resend_signing(request=declined, started_by=sam)
    page = client.get("/dashboard/").content.decode()
    assert "Wrong person." not in page


def test_nothing_to_follow_up_shows_nothing(client, sam, acme, start_signing):
    start_signing(acme, signatory=SIGNATORY)
    client.force_login(sam)
    assert "Signing links declined or expired" not in client.get("/dashboard/").content.decode()
