"""Webhooks against a real HTTP server on a local port (no mock of the HTTP client): an admin
agent registers an endpoint and sees its secret once; each event it chose arrives as Partner
Center's event JSON, signed so that the shown secret verifies it; failures are retried with a
doubling delay for 24 hours, logged, and an endpoint failing for 24 hours is disabled and its
admins told; the test event; the secret's rotation; a worker lost mid-POST."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import re
import ssl
import time

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alerts import daily, webhooks
from alerts.models import (
    DeliveryStatus,
    Event,
    Notification,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from portal import background
from portal.models import OutboxMessage
from tests import factories as f
from tests.alerts.http_server import http_server
from tests.portal.outbox_helpers import DATABASE_TASKS, run_worker

pytestmark = pytest.mark.django_db


def verify(header: str, body: bytes, secret: str, tolerance: int = 300) -> bool:
    """What a receiver does, written out here from the documented rule (not the portal's
    code): HMAC-SHA256 of "t." + body under the secret, any v1 may match, t recent."""
    parts = [item.split("=", 1) for item in header.split(",")]
    timestamps = [value for name, value in parts if name == "t"]
    signatures = [value for name, value in parts if name == "v1"]
    if len(timestamps) != 1 or abs(time.time() - int(timestamps[0])) > tolerance:
        return False
    expected = hmac.new(
        secret.encode(), timestamps[0].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return any(hmac.compare_digest(expected, signature) for signature in signatures)


@pytest.fixture
def receiver():
    with http_server() as (url, state):
        yield url, state


def register_on_the_page(client, agent, url: str, events: list[str]) -> tuple[WebhookEndpoint, str]:
    client.force_login(agent)
    response = client.post(
        reverse("alerts:webhook_new"),
        {"url": url, "description": "PSA", "events": events},
    )
    assert response.status_code == 302, response.content.decode()
    endpoint = WebhookEndpoint.objects.get(url=url)
    page = client.get(response["Location"]).content.decode()
    secret = re.search(r'id="signing-secret" type="text" readonly value="([^"]+)"', page).group(1)
    return endpoint, secret


def test_an_admin_registers_an_endpoint_and_sees_its_secret_once(client, alice, receiver):
    url, _state = receiver
    endpoint, secret = register_on_the_page(client, alice, f"{url}/hooks", [Event.ORDER_REFUSED])
    assert secret.startswith("whsec_")
    assert endpoint.partner_id == alice.partner_id
    assert endpoint.events == [Event.ORDER_REFUSED]
    # Never shown again, and not readable in the database.
    again = client.get(reverse("alerts:webhook", args=[endpoint.public_id])).content.decode()
    assert secret not in again and "signing-secret" not in again
    assert secret not in endpoint.secret_sealed
    assert webhooks.unseal(endpoint.secret_sealed, endpoint.public_id) == secret


def test_a_chosen_event_arrives_signed_in_partner_centers_shape(
    client, alice, contoso, acme, acme_admin, receiver
):
    url, state = receiver
    endpoint, secret = register_on_the_page(
        client, alice, f"{url}/hooks?source=mca", [Event.ACCEPTED_DIRECTLY]
    )
    record = f.accept_directly(acme, acme_admin, contoso)
    [request] = state.received
    assert request.path == "/hooks?source=mca"
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    assert verify(request.headers["MCA-Signature"], request.body, secret)
    assert not verify(request.headers["MCA-Signature"], request.body + b" ", secret)
    assert not verify(request.headers["MCA-Signature"], request.body, "whsec_wrong")
    payload = json.loads(request.body)
    delivery = WebhookDelivery.objects.get()
    assert payload == {
        "EventId": str(delivery.event_id),
        "EventName": "agreement-accepted-by-customer",
        "ResourceName": "CustomerAgreement",
        "ResourceUri": f"http://127.0.0.1:8000/v1/customers/{acme.tenant_id}/agreements",
        "AuditUri": None,
        "ResourceChangeUtcDate": payload["ResourceChangeUtcDate"],
        "Data": {
            "CustomerTenantId": str(acme.tenant_id),
            "RecordId": str(record.public_id),
            "TemplateId": str(record.template.template_id),
            "VersionRank": record.template.version_rank,
        },
    }
    assert datetime.datetime.fromisoformat(payload["ResourceChangeUtcDate"]).utcoffset() == (
        datetime.timedelta(0)
    )
    assert request.headers["MCA-Event-Id"] == str(delivery.event_id)
    assert request.headers["MCA-Event-Name"] == "agreement-accepted-by-customer"
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 1)
    [attempt] = WebhookAttempt.objects.all()
    assert (attempt.number, attempt.status_code, attempt.succeeded) == (1, 200, True)
    assert attempt.response_excerpt == '{"ok": true}'


def test_only_endpoints_that_chose_the_event_and_are_the_partners_get_it(
    contoso, litware, acme, acme_admin, alice, lisa, receiver
):
    url, state = receiver
    webhooks.register(
        partner_id=contoso.pk,
        url=f"{url}/refusals",
        events=[Event.ORDER_REFUSED],
        description="",
        by=alice,
    )
    webhooks.register(
        partner_id=litware.pk,
        url=f"{url}/litware",
        events=[Event.ACCEPTED_DIRECTLY],
        description="",
        by=lisa,
    )
    wanted, _secret = webhooks.register(
        partner_id=contoso.pk,
        url=f"{url}/accepted",
        events=[Event.ACCEPTED_DIRECTLY],
        description="",
        by=alice,
    )
    f.accept_directly(acme, acme_admin, contoso)
    assert [request.path for request in state.received] == ["/accepted"]
    assert WebhookDelivery.objects.get().endpoint == wanted


def test_an_event_told_twice_is_sent_once(contoso, alice, receiver):
    url, state = receiver
    webhooks.register(
        partner_id=contoso.pk, url=url, events=[Event.ORDER_REFUSED], description="", by=alice
    )
    for _ in range(2):
        _emit(contoso, key="k2")
    assert WebhookDelivery.objects.count() == 1
    assert len(state.received) == 1


@pytest.mark.django_db(transaction=True)
def test_an_event_rolled_back_sends_nothing_and_a_committed_one_is_sent_by_the_worker(
    contoso, alice, receiver, settings
):
    settings.TASKS = DATABASE_TASKS
    url, state = receiver
    webhooks.register(
        partner_id=contoso.pk, url=url, events=[Event.ORDER_REFUSED], description="", by=alice
    )

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        _emit(contoso, key="k1")
        raise Rollback
    with transaction.atomic():
        _emit(contoso, key="k2")
    assert state.received == []
    run_worker()
    run_worker()
    assert [json.loads(r.body)["EventId"] for r in state.received] == [
        str(WebhookDelivery.objects.get(key="k2").event_id)
    ]


def _refused_endpoint(contoso, alice, url):
    endpoint, secret = webhooks.register(
        partner_id=contoso.pk, url=url, events=[Event.ORDER_REFUSED], description="", by=alice
    )
    return endpoint, secret


def _emit(contoso, key="refused:1"):
    webhooks.emit(
        event=Event.ORDER_REFUSED,
        key=key,
        partner_ids=[contoso.pk],
        resource=webhooks.Resource("Customer", "/v1/customers/x"),
    )


def test_a_failed_delivery_is_retried_with_a_doubling_delay_and_the_same_event_id(
    contoso, alice, receiver, time_machine
):
    url, state = receiver
    state.answers = [500, 503, 200]
    time_machine.move_to(timezone.now(), tick=False)
    endpoint, secret = _refused_endpoint(contoso, alice, url)
    _emit(contoso)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.next_attempt_at == delivery.created_at + datetime.timedelta(seconds=60)
    assert delivery.last_error == "HTTP 500"
    # Not due yet: an early task does nothing.
    assert webhooks.deliver.call(delivery.pk) == "skipped"
    time_machine.shift(datetime.timedelta(seconds=61))
    assert webhooks.deliver.call(delivery.pk) == DeliveryStatus.PENDING
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == timezone.now() + datetime.timedelta(seconds=120)
    # The task was lost: the recoverer sends it once it is overdue.
    time_machine.shift(datetime.timedelta(minutes=15))
    assert background.recover() >= 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 3)
    ids = {request.headers["MCA-Event-Id"] for request in state.received}
    assert ids == {str(delivery.event_id)}
    assert {request.body for request in state.received} == {delivery.body.encode()}
    # (Each checked as of now, an hour of sends later: tolerance widened.)
    assert all(verify(r.headers["MCA-Signature"], r.body, secret, 3600) for r in state.received)
    log = list(WebhookAttempt.objects.order_by("number").values_list("number", "status_code"))
    assert log == [(1, 500), (2, 503), (3, 200)]
    endpoint.refresh_from_db()
    assert (endpoint.consecutive_failures, endpoint.failing_since) == (0, None)


def test_a_delivery_is_given_up_after_24_hours(contoso, litware, alice, lisa, time_machine):
    # A closed port: connection refused, every time. (Another endpoint of another partner keeps
    # succeeding, so this one isn't disabled for failing: only given up.)
    time_machine.move_to(timezone.now(), tick=False)
    endpoint, _secret = _refused_endpoint(contoso, alice, "http://127.0.0.1:9/hooks")
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
    _emit(contoso)
    delivery = WebhookDelivery.objects.get()
    assert "ConnectionRefusedError" in delivery.last_error
    start = delivery.created_at
    delays = []
    while delivery.status == DeliveryStatus.PENDING:
        delays.append(delivery.next_attempt_at - timezone.now())
        time_machine.move_to(delivery.next_attempt_at, tick=False)
        # Keep the endpoint's streak young, so this test sees the 24-hour give-up alone.
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=timezone.now())
        webhooks.deliver.call(delivery.pk)
        delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_error.startswith(f"Gave up after {delivery.attempts} attempts")
    assert [d.total_seconds() for d in delays[:5]] == [60, 120, 240, 480, 960]
    assert max(delays) == webhooks.MAX_BACKOFF
    assert timezone.now() - start <= datetime.timedelta(hours=24)
    assert timezone.now() + webhooks.MAX_BACKOFF > start + datetime.timedelta(hours=24)
    assert WebhookAttempt.objects.filter(delivery=delivery).count() == delivery.attempts


def test_an_endpoint_failing_for_24_hours_is_disabled_and_its_admins_told(
    client, contoso, alice, sam, hana, receiver, time_machine
):
    url, state = receiver
    state.answers = [500] * 100
    time_machine.move_to(timezone.now(), tick=False)
    endpoint, _secret = _refused_endpoint(contoso, alice, url)
    for n in range(4):
        _emit(contoso, key=f"refused:{n}")
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.consecutive_failures) == (True, 4)
    # A day of failures later (five in a row at least), the next failure disables it.
    time_machine.shift(datetime.timedelta(hours=24))
    _emit(contoso, key="refused:late")
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert "Every attempt failed since" in endpoint.disabled_reason
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.FAILED}
    # The admin agent is told, as it chose (at once: an email too); other roles aren't.
    [note] = Notification.objects.filter(event=Event.WEBHOOK_DISABLED)
    assert note.recipient == alice
    assert note.link == reverse("alerts:webhook", args=[endpoint.public_id])
    [email] = OutboxMessage.objects.filter(dedupe_key__startswith=f"alert:{alice.pk}:webhook")
    assert email.recipient == alice.email and url in email.subject
    # A disabled endpoint gets nothing new; enabled again, it does.
    sent = len(state.received)
    _emit(contoso, key="refused:while-disabled")
    assert len(state.received) == sent
    state.answers = []
    client.force_login(alice)
    client.post(reverse("alerts:webhook_enable", args=[endpoint.public_id]))
    _emit(contoso, key="refused:after")
    assert WebhookDelivery.objects.get(key="refused:after").status == DeliveryStatus.DELIVERED


def test_the_test_event_button_sends_partner_centers_test_created(client, alice, receiver):
    url, state = receiver
    endpoint, secret = register_on_the_page(client, alice, url, [Event.ORDER_REFUSED])
    response = client.post(reverse("alerts:webhook_test", args=[endpoint.public_id]))
    assert response.status_code == 302
    [request] = state.received
    payload = json.loads(request.body)
    assert (payload["EventName"], payload["ResourceName"]) == ("test-created", "test")
    assert verify(request.headers["MCA-Signature"], request.body, secret)
    page = client.get(reverse("alerts:webhook", args=[endpoint.public_id])).content.decode()
    assert "test-created" in page and payload["EventId"] in page
    # Two a minute at most (Partner Center's throttle).
    client.post(reverse("alerts:webhook_test", args=[endpoint.public_id]))
    response = client.post(reverse("alerts:webhook_test", args=[endpoint.public_id]), follow=True)
    assert "At most two test events a minute" in response.content.decode()
    assert len(state.received) == 2


def test_a_rotated_secret_is_shown_once_and_the_old_one_signs_beside_it_for_a_day(
    client, alice, receiver, time_machine
):
    url, state = receiver
    endpoint, old = register_on_the_page(client, alice, url, [Event.ORDER_REFUSED])
    response = client.post(reverse("alerts:webhook_rotate", args=[endpoint.public_id]))
    page = client.get(response["Location"]).content.decode()
    new = re.search(r'id="signing-secret" type="text" readonly value="([^"]+)"', page).group(1)
    assert new != old
    assert new not in client.get(response["Location"]).content.decode()
    client.post(reverse("alerts:webhook_test", args=[endpoint.public_id]))
    request = state.received[-1]
    assert request.headers["MCA-Signature"].count("v1=") == 2
    assert verify(request.headers["MCA-Signature"], request.body, new)
    assert verify(request.headers["MCA-Signature"], request.body, old)
    time_machine.move_to(timezone.now() + datetime.timedelta(hours=25))
    client.force_login(alice)
    client.post(reverse("alerts:webhook_test", args=[endpoint.public_id]))
    request = state.received[-1]
    assert request.headers["MCA-Signature"].count("v1=") == 1
    assert verify(request.headers["MCA-Signature"], request.body, new)
    assert not verify(request.headers["MCA-Signature"], request.body, old)


def test_a_delivery_whose_worker_died_mid_post_is_sent_again_with_the_same_event_id(
    contoso, alice, receiver, time_machine
):
    url, state = receiver
    endpoint, secret = _refused_endpoint(contoso, alice, url)
    # What a worker killed after its claim committed leaves behind.
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_name="order-refused",
        key="k",
        body='{"EventId": "x"}',
        status=DeliveryStatus.SENDING,
        attempts=1,
        claimed_at=timezone.now(),
    )
    WebhookAttempt.objects.create(delivery=delivery, endpoint=endpoint, number=1)
    # Not yet stale: left alone (the worker may still be waiting for the answer).
    webhooks.recover()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENDING
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=3))
    assert webhooks.recover() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 2)
    [request] = state.received
    assert request.headers["MCA-Event-Id"] == str(delivery.event_id)
    log = list(
        WebhookAttempt.objects.order_by("number").values_list("number", "succeeded", "error")
    )
    assert log == [(1, None, webhooks.UNKNOWN_OUTCOME[:500]), (2, True, "")]


def test_a_name_that_resolves_to_a_private_address_is_not_posted_to(
    contoso, alice, settings, receiver
):
    # Registered while allowed (as a name, which says nothing of where it points) ...
    endpoint, _secret = _refused_endpoint(contoso, alice, "https://localhost:1/hooks")
    # ... but by the time of the POST, this machine is out of bounds.
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = False
    _emit(contoso)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert "non-public address (" in delivery.last_error
    [attempt] = WebhookAttempt.objects.all()
    assert attempt.status_code is None and "not sent" in attempt.error


def test_finished_deliveries_are_forgotten_after_30_days_by_the_daily_run(
    contoso, alice, receiver, time_machine
):
    url, _state = receiver
    endpoint, _secret = _refused_endpoint(contoso, alice, url)
    _emit(contoso, key="old")
    waiting = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_name="order-refused",
        key="waiting",
        body="{}",
        next_attempt_at=timezone.now() + datetime.timedelta(days=365),
    )
    time_machine.move_to(timezone.now() + datetime.timedelta(days=31))
    _emit(contoso, key="new")
    daily.run()
    assert set(WebhookDelivery.objects.values_list("key", flat=True)) == {"new", waiting.key}
    assert not WebhookAttempt.objects.filter(delivery__key="old").exists()


def test_an_endpoint_deleted_while_its_delivery_is_out_records_nothing(contoso, alice, receiver):
    url, _state = receiver
    endpoint, _secret = _refused_endpoint(contoso, alice, url)
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event_name="order-refused", key="k", body="{}"
    )
    claimed = webhooks._claim(delivery.pk)
    assert claimed is not None
    endpoint.delete()
    assert webhooks._record(claimed[0], claimed[2], webhooks.Answer(status_code=200)) == "deleted"


def _certificate_authority(tmp_path):
    """A CA the client trusts (through SSL_CERT_FILE) and a server certificate for localhost."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def name(common: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])

    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("Test CA"))
        .issuer_name(name("Test CA"))
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name("localhost"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    (tmp_path / "ca.pem").write_bytes(ca.public_bytes(pem))
    (tmp_path / "server.pem").write_bytes(
        cert.public_bytes(pem)
        + key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(tmp_path / "server.pem")
    return tmp_path / "ca.pem", server


def test_https_delivers_to_a_trusted_certificate_and_refuses_an_untrusted_one(
    contoso, alice, tmp_path, monkeypatch
):
    ca, server_context = _certificate_authority(tmp_path)
    with http_server(tls=server_context) as (url, state):
        assert url.startswith("https://localhost:")
        endpoint, secret = _refused_endpoint(contoso, alice, f"{url}/hooks")
        # Not trusted: the certificate is checked, nothing is posted.
        _emit(contoso, key="untrusted")
        delivery = WebhookDelivery.objects.get(key="untrusted")
        assert "CERTIFICATE_VERIFY_FAILED" in delivery.last_error
        assert state.received == []
        # Trusted (its CA in the client's store): delivered, the name checked against it.
        monkeypatch.setenv("SSL_CERT_FILE", str(ca))
        _emit(contoso, key="trusted")
        assert WebhookDelivery.objects.get(key="trusted").status == DeliveryStatus.DELIVERED
        [request] = state.received
        assert request.headers["Host"] == url.removeprefix("https://")
        assert verify(request.headers["MCA-Signature"], request.body, secret)
