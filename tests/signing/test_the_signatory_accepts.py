"""The whole flow: an agent starts a signing link, the signatory confirms the code from the
email, reads the agreement and accepts; the record is evidence like any other and opens the
order gate."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from agreements.models import Acceptance, AcceptanceMethod, Channel
from orders.services import order_gate
from signing.models import SigningRequest, SigningStatus
from tests.signing.conftest import accept

pytestmark = pytest.mark.django_db


def test_a_sales_agent_starts_a_link_and_sees_it_once(client, sam, acme):
    client.force_login(sam)
    page = client.get(f"/signing/customers/{acme.tenant_id}/start/")
    assert page.status_code == 200
    response = client.post(
        f"/signing/customers/{acme.tenant_id}/start/",
        {
            "first_name": "Jana",
            "last_name": "Nováková",
            "email": "jana@acme.example",
            "job_title": "CFO",
            "agreement": "CZ:cs-CZ",
            "expires_in_days": 14,
        },
    )
    assert response.status_code == 302
    request = SigningRequest.objects.get()
    assert request.status == SigningStatus.PENDING
    shown = client.get(response.url)
    body = shown.content.decode()
    assert "/signing/sign/" in body
    assert "Open in email" in body and "mailto:jana@acme.example" in body
    again = client.get(response.url).content.decode()
    assert "/signing/sign/" not in again


def test_the_signatory_accepts_and_the_record_names_everything(
    client, sam, acme, start_signing, verified
):
    request, path = start_signing(acme)
    assert client.get(path).status_code == 200
    proof = verified(path)
    response = accept(client, path, proof, phone="+420602000111", job_title="Finance director")
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == SigningStatus.ACCEPTED
    record = Acceptance.objects.get()
    assert record.method == AcceptanceMethod.SIGNATORY_ACCEPTANCE
    assert record.channel == Channel.SIGNING_LINK
    assert record.recorded_by == sam and record.partner == sam.partner
    assert (record.first_name, record.last_name, record.email) == (
        "Jana",
        "Nováková",
        "jana@acme.example",
    )
    assert str(record.phone) == "+420602000111"
    assert record.signatory["attestationId"] == str(request.public_id)
    assert record.signatory["jobTitle"] == "Finance director"
    assert record.signatory["typedSignature"] == "Jana Nováková"
    assert record.signatory["codeVerifiedAt"].startswith(
        request.code_verified_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S")
    )
    assert record.document_sha256 == request.document.sha256
    statement = record.statement_data()
    assert statement["signatory"]["attestationId"] == str(request.public_id)
    assert order_gate(acme, sam.partner).allowed
    call_command("verify_evidence", verbosity=0)
    done = client.get(path)
    assert "is on record" in done.content.decode()
    assert len(mail.outbox) == 1


def test_a_providers_link_for_its_resellers_customer_counts_for_the_reseller(
    client, frank, northwind, initech, start_signing, verified
):
    _request, path = start_signing(initech, agent=frank)
    accept(client, path, verified(path))
    record = Acceptance.objects.get()
    assert record.partner == frank.partner
    assert order_gate(initech, northwind).allowed


def test_a_litware_link_does_not_open_contosos_gate(
    client, lisa, litware, sam, contoso, template_cz, start_signing, verified
):
    from tests import factories as f

    shared = f.CustomerFactory(company_name="Shared a.s.", domain="shared.onmicrosoft.com")
    f.RelationshipFactory(partner=litware, customer=shared)
    f.RelationshipFactory(partner=contoso, customer=shared)
    _request, path = start_signing(shared, agent=lisa)
    accept(client, path, verified(path))
    assert order_gate(shared, litware).allowed
    assert not order_gate(shared, contoso).allowed


def test_send_emails_the_link_once_and_the_outbox_keeps_no_token(client, sam, acme):
    from portal.models import OutboxMessage

    client.force_login(sam)
    response = client.post(
        f"/signing/customers/{acme.tenant_id}/start/",
        {
            "first_name": "Jana",
            "last_name": "Nováková",
            "email": "jana@acme.example",
            "agreement": "US:en-US",
            "expires_in_days": 14,
        },
    )
    page = client.get(response.url).content.decode()
    link = page.split(
        'id="signing-link" name="link" type="text" readonly autocomplete="off" spellcheck="false" value="',
        1,
    )[1].split('"', 1)[0]
    request = SigningRequest.objects.get()
    sent = client.post(f"/signing/requests/{request.public_id}/send/", {"link": link})
    assert sent.status_code == 302
    client.post(f"/signing/requests/{request.public_id}/send/", {"link": link})
    assert len(mail.outbox) == 1
    assert link in mail.outbox[0].body and mail.outbox[0].to == ["jana@acme.example"]
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in OutboxMessage.objects.get().body_text
    request.refresh_from_db()
    assert request.sent_at is not None


def test_send_refuses_a_link_that_is_not_this_requests(client, sam, acme):
    client.force_login(sam)
    client.post(
        f"/signing/customers/{acme.tenant_id}/start/",
        {
            "first_name": "Jana",
            "last_name": "Nováková",
            "email": "jana@acme.example",
            "agreement": "US:en-US",
            "expires_in_days": 14,
        },
    )
    request = SigningRequest.objects.get()
    response = client.post(
        f"/signing/requests/{request.public_id}/send/",
        {"link": "http://127.0.0.1:8000/signing/sign/forged-token/"},
    )
    assert response.status_code == 409
    assert mail.outbox == []
