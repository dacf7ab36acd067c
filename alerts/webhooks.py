"""Webhooks for integrators (PSA and billing systems): the partner's events POSTed as JSON to
the URLs its admin agents register, signed like Stripe's.

**The payload** follows Partner Center's webhook events: ``EventName`` (``{resource}-{action}``),
``ResourceName``, ``ResourceUri`` (where the API serves the resource), ``AuditUri`` (null: no
audit API) and ``ResourceChangeUtcDate``; we add ``EventId`` (a UUID, the same on every attempt)
and ``Data`` (the ids the receiver needs, so it need not call back). A test event is
``test-created`` with ``ResourceName`` ``test``, as in Partner Center.

**The signature.** Every attempt carries ``MCA-Signature: t=<unix seconds>,v1=<hex>`` where
``v1`` is HMAC-SHA256, keyed with the endpoint's secret, of ``"<t>." + body`` (the raw bytes);
after the secret is rotated the old one signs too (a second ``v1``) for ``ROTATION_OVERLAP``.
A receiver recomputes ``v1``, compares in constant time and refuses an old ``t`` (replay). The
headers also carry ``MCA-Event-Id`` and ``MCA-Event-Name``. The secret is shown once, when the
endpoint is made or its secret rotated; it is kept encrypted (AES-256-GCM under a key derived
from SECRET_KEY, like the secrets waiting to be shown once), because the worker must read it to
sign — after rotating SECRET_KEY, rotate each endpoint's secret.

**Nothing lost, at least once.** ``emit`` writes one ``WebhookDelivery`` per event per
subscribed endpoint in the caller's transaction (the event's key makes a second emit of the
same event write nothing) and enqueues ``deliver`` with it (portal.background). The task claims
the delivery (*sending*, the attempt logged) and commits before the POST, then records the
answer. A worker that dies mid-POST leaves the delivery *sending*; after
``WEBHOOK_SENDING_TIMEOUT_SECONDS`` the recoverer logs that attempt's outcome as unknown and
**sends it again, with the same EventId** — unlike an email (portal.outbox: at most once), a
webhook is at least once, as Stripe's, GitHub's and Partner Center's are: the receiver drops an
EventId it has seen. Nothing is sent twice otherwise: a delivery answered 2xx is never sent
again, and only one worker can hold a claim.

**Retries.** Any answer but 2xx (or none: refused, timed out, TLS) is retried with a doubling
delay from ``WEBHOOK_RETRY_BASE_SECONDS`` (at most ``MAX_BACKOFF``) for ``WEBHOOK_RETRY_FOR_SECONDS``
(24 hours) after the event; then the delivery has failed. Redirects are not followed.

**Disabling.** An endpoint whose every attempt has failed for ``WEBHOOK_DISABLE_AFTER_SECONDS``
(24 hours), at least ``WEBHOOK_DISABLE_MIN_FAILURES`` of them in a row, is disabled: its waiting
deliveries fail, and its partner's admin agents are told (the ``webhook_disabled`` alert, by
email or digest as each chose). An admin enables it again.

**Where it may point.** HTTPS only, to a public address (checked when registered and again,
resolved, before each POST); plain http to localhost only with ``WEBHOOK_ALLOW_LOCAL_HTTP`` (on
with DEBUG and in tests).
"""

from __future__ import annotations

import base64
import datetime
import functools
import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import os
import secrets as secrets_module
import socket
import ssl
import time
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task, task_backends

from alerts.models import (
    DeliveryStatus,
    Event,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from alerts.services import Message, notify
from portal import background
from portal.models import Role, User

logger = logging.getLogger(__name__)

# Partner Center's {resource}-{action} names for our events.
EVENT_NAMES: dict[str, str] = {
    Event.ACCEPTED_DIRECTLY: "agreement-accepted-by-customer",
    Event.INVITATION_BLOCKED: "invitation-blocked",
    Event.INVITATION_LAPSING: "invitation-expiring",
    Event.INVITATION_LAPSED: "invitation-expired",
    Event.ATTESTATION_REQUESTED: "attestation-requested",
    Event.ORDER_REFUSED: "order-refused",
    Event.VERSION_PUBLISHED: "agreement-version-published",
    Event.CAMPAIGN_DEADLINE: "reacceptance-deadline-approaching",
    Event.CUSTOMER_DECLINED: "request-declined-by-customer",
}
TEST_EVENT = "test-created"

SECRET_PREFIX = "whsec_"
ROTATION_OVERLAP = datetime.timedelta(hours=24)
MAX_BACKOFF = datetime.timedelta(hours=3)
# How overdue a waiting delivery must be before the recoverer assumes its task was lost.
LOST_AFTER = datetime.timedelta(minutes=10)
MAX_ENDPOINTS_PER_PARTNER = 10
TEST_EVENTS_PER_MINUTE = 2
EXCERPT_CHARS = 500
USER_AGENT = "MCA-Portal-Webhooks/1"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


@dataclass(frozen=True)
class Resource:
    """What changed: Partner Center's ResourceName, the API path that serves it, and ids."""

    name: str
    path: str
    data: dict[str, Any] = field(default_factory=dict)


# --- the secret ------------------------------------------------------------------------------


def new_secret() -> str:
    return SECRET_PREFIX + secrets_module.token_urlsafe(32)


@functools.lru_cache(maxsize=4)
def _cipher(secret_key: str) -> AESGCM:
    # A key of its own: nothing else derived from SECRET_KEY shares it.
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"mca-portal.webhook-secret", info=b"v1"
    ).derive(secret_key.encode())
    return AESGCM(key)


def seal(secret: str, endpoint_id: uuid.UUID) -> str:
    nonce = os.urandom(12)
    sealed = _cipher(settings.SECRET_KEY).encrypt(nonce, secret.encode(), endpoint_id.bytes)
    return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def unseal(sealed: str, endpoint_id: uuid.UUID) -> str | None:
    """The secret, or None if it was sealed under another SECRET_KEY (or altered)."""
    try:
        raw = base64.urlsafe_b64decode(sealed.encode("ascii"))
        return _cipher(settings.SECRET_KEY).decrypt(raw[:12], raw[12:], endpoint_id.bytes).decode()
    except (ValueError, InvalidTag):
        return None


def signature_header(secrets: list[str], timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    parts = [f"t={timestamp}"]
    parts += [
        "v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest() for secret in secrets
    ]
    return ",".join(parts)


# --- where an endpoint may point --------------------------------------------------------------


def _is_local(host: str) -> bool:
    return host in LOCAL_HOSTS or host.endswith(".localhost")


def url_problem(url: str) -> str | None:
    """Why the portal won't POST to ``url``, or None."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host:
        return _("Enter a full URL, starting with https://.")
    if parts.username or parts.password:
        return _("The URL must not contain a user name or password.")
    if parts.scheme == "http":
        if _is_local(host) and settings.WEBHOOK_ALLOW_LOCAL_HTTP:
            return None
        return _(
            "The URL must start with https:// (plain http is only for localhost in development)."
        )
    if parts.scheme != "https":
        return _("The URL must start with https://.")
    if _is_local(host) and not settings.WEBHOOK_ALLOW_LOCAL_HTTP:
        return _("The URL must point to a public address, not this machine or a private network.")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if not address.is_global and not (address.is_loopback and settings.WEBHOOK_ALLOW_LOCAL_HTTP):
        return _("The URL must point to a public address, not this machine or a private network.")
    return None


def _resolve(host: str, port: int) -> tuple[str, str]:
    """The address to connect to, or why not (checked before each POST, resolved: a name may
    have come to point inside). The connection goes to that very address, so the name can't
    be made to point elsewhere between the check and the connection."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        return "", f"The host name did not resolve: {error}"
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_global:
            continue
        if address.is_loopback and settings.WEBHOOK_ALLOW_LOCAL_HTTP:
            continue
        return "", f"The host resolves to a non-public address ({address}); not sent."
    return str(infos[0][4][0]), ""


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Plain HTTP to the checked address (the Host header keeps the name)."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """TLS to the checked address, the certificate checked against the name (SNI too)."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


# --- registering ----------------------------------------------------------------------------


def register(
    *, partner_id: int, url: str, events: list[str], description: str, by: User
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its secret (to be shown this once)."""
    secret = new_secret()
    endpoint = WebhookEndpoint(
        partner_id=partner_id,
        url=url,
        events=sorted(events),
        description=description,
        created_by=by,
    )
    endpoint.secret_sealed = seal(secret, endpoint.public_id)
    endpoint.save()
    return endpoint, secret


def rotate_secret(endpoint: WebhookEndpoint) -> str:
    """A new secret; the old one keeps signing beside it for ROTATION_OVERLAP."""
    secret = new_secret()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        endpoint.previous_secret_sealed = endpoint.secret_sealed
        endpoint.previous_secret_until = timezone.now() + ROTATION_OVERLAP
        endpoint.secret_sealed = seal(secret, endpoint.public_id)
        endpoint.save(
            update_fields=["previous_secret_sealed", "previous_secret_until", "secret_sealed"]
        )
    return secret


def enable(endpoint: WebhookEndpoint) -> None:
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        is_active=True,
        disabled_at=None,
        disabled_reason="",
        consecutive_failures=0,
        failing_since=None,
    )


# --- emitting -------------------------------------------------------------------------------


def _body(event_id: uuid.UUID, name: str, resource: Resource, at: datetime.datetime) -> str:
    payload = {
        "EventId": str(event_id),
        "EventName": name,
        "ResourceName": resource.name,
        "ResourceUri": settings.PORTAL_BASE_URL + resource.path,
        "AuditUri": None,
        "ResourceChangeUtcDate": at.astimezone(datetime.UTC).isoformat(),
        "Data": resource.data,
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def _queue(
    endpoint: WebhookEndpoint, name: str, key: str, resource: Resource, at: datetime.datetime
) -> bool:
    event_id = uuid.uuid4()
    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(
                endpoint=endpoint,
                event_id=event_id,
                event_name=name,
                key=key,
                body=_body(event_id, name, resource, at),
            )
    except IntegrityError:
        return False  # this event went to this endpoint already
    background.enqueue(deliver, delivery.pk)
    return True


def emit(
    *,
    event: str,
    key: str,
    partner_ids: Collection[int] | None,
    resource: Resource,
    at: datetime.datetime | None = None,
) -> int:
    """Queue ``event`` for every active endpoint of ``partner_ids`` (None: every partner's)
    subscribed to it, in the caller's transaction; returns how many. One query when no
    endpoint wants it."""
    at = at or timezone.now()
    endpoints = WebhookEndpoint.objects.filter(is_active=True).only("pk", "events")
    if partner_ids is not None:
        endpoints = endpoints.filter(partner_id__in=list(partner_ids))
    name = EVENT_NAMES[event]
    return sum(
        _queue(endpoint, name, key, resource, at)
        for endpoint in endpoints
        if event in endpoint.events
    )


def test_events_left(endpoint: WebhookEndpoint) -> bool:
    recent = WebhookDelivery.objects.filter(
        endpoint=endpoint,
        event_name=TEST_EVENT,
        created_at__gt=timezone.now() - datetime.timedelta(minutes=1),
    ).count()
    return recent < TEST_EVENTS_PER_MINUTE


def send_test(endpoint: WebhookEndpoint) -> None:
    correlation = uuid.uuid4()
    resource = Resource(
        "test",
        reverse("alerts:webhook", args=[endpoint.public_id]),
        {"CorrelationId": str(correlation)},
    )
    _queue(endpoint, TEST_EVENT, f"test:{correlation}", resource, timezone.now())


# --- delivering -----------------------------------------------------------------------------


@dataclass
class Answer:
    status_code: int | None = None
    excerpt: str = ""
    error: str = ""
    duration_ms: int = 0

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _backoff(attempts: int) -> datetime.timedelta:
    delay = datetime.timedelta(seconds=settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** (attempts - 1))
    return min(delay, MAX_BACKOFF)


def _schedule(delivery_id: int, when: datetime.datetime) -> None:
    """Enqueue the delivery's task to run at ``when`` where the backend can wait; otherwise (the
    immediate backend) the recoverer enqueues it once it is due."""
    if task_backends[deliver.backend].supports_defer:
        background.enqueue(deliver.using(run_after=when), delivery_id)


def _secrets(endpoint: WebhookEndpoint, now: datetime.datetime) -> list[str]:
    found = [unseal(endpoint.secret_sealed, endpoint.public_id)]
    if (
        endpoint.previous_secret_sealed
        and endpoint.previous_secret_until is not None
        and endpoint.previous_secret_until > now
    ):
        found.append(unseal(endpoint.previous_secret_sealed, endpoint.public_id))
    return [secret for secret in found if secret]


def _claim(
    delivery_id: int,
) -> tuple[WebhookDelivery, WebhookEndpoint, WebhookAttempt] | None:
    """Mark the delivery sending and log the attempt, committed before the POST; or None (not
    waiting, not due, held by another worker, or its endpoint disabled)."""
    now = timezone.now()
    with transaction.atomic():
        rows = WebhookDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING)
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        else:
            rows = rows.select_for_update()
        delivery = rows.first()
        if delivery is None or delivery.next_attempt_at > now:
            return None
        endpoint = WebhookEndpoint.objects.get(pk=delivery.endpoint_id)
        if not endpoint.is_active:
            delivery.status = DeliveryStatus.FAILED
            delivery.last_error = "The endpoint is disabled."
            delivery.save(update_fields=["status", "last_error"])
            return None
        delivery.status = DeliveryStatus.SENDING
        delivery.claimed_at = now
        delivery.attempts += 1
        delivery.save(update_fields=["status", "claimed_at", "attempts"])
        attempt = WebhookAttempt.objects.create(
            delivery=delivery, endpoint=endpoint, number=delivery.attempts, started_at=now
        )
    return delivery, endpoint, attempt


def _post(endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> Answer:
    parts = urlsplit(endpoint.url)
    host = parts.hostname or ""
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    address, problem = _resolve(host, port)
    if problem:
        return Answer(error=problem)
    secrets = _secrets(endpoint, timezone.now())
    if not secrets:
        return Answer(error="The secret can't be read (SECRET_KEY changed?): rotate it.")
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "MCA-Event-Id": str(delivery.event_id),
        "MCA-Event-Name": delivery.event_name,
        "MCA-Signature": signature_header(secrets, int(time.time()), body),
    }
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    connection_class = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
    conn = connection_class(host, port, address, timeout)
    started = time.monotonic()
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        excerpt = response.read(4 * EXCERPT_CHARS).decode("utf-8", "replace")[:EXCERPT_CHARS]
        return Answer(
            status_code=response.status,
            excerpt=excerpt,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
    except (OSError, http.client.HTTPException) as error:
        return Answer(
            error=f"{type(error).__name__}: {error}"[:EXCERPT_CHARS],
            duration_ms=int((time.monotonic() - started) * 1000),
        )
    finally:
        conn.close()


def _disable(endpoint: WebhookEndpoint, now: datetime.datetime) -> None:
    """Disable the endpoint, fail what waits for it, and tell the partner's admin agents."""
    reason = (
        f"Every attempt failed since {endpoint.failing_since:%Y-%m-%d %H:%M} UTC "
        f"({endpoint.consecutive_failures} in a row)."
    )
    endpoint.is_active = False
    endpoint.disabled_at = now
    endpoint.disabled_reason = reason
    endpoint.save(update_fields=["is_active", "disabled_at", "disabled_reason"])
    WebhookDelivery.objects.filter(
        endpoint=endpoint, status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING]
    ).update(status=DeliveryStatus.FAILED, last_error="The endpoint was disabled.")
    admins = list(
        User.objects.filter(
            partner_id=endpoint.partner_id, role=Role.ADMIN_AGENT, is_active=True
        ).select_related("partner")
    )

    def compose() -> Message:
        names = {"url": endpoint.url}
        return Message(
            _("A webhook endpoint was disabled: %(url)s") % names,
            _(
                "Every delivery to %(url)s failed for 24 hours, so it was disabled and gets no "
                "events. Fix the receiver, then enable the endpoint again on its page."
            )
            % names,
            reverse("alerts:webhook", args=[endpoint.public_id]),
        )

    notify(
        event=Event.WEBHOOK_DISABLED,
        key=f"webhook-disabled:{endpoint.pk}:{now.isoformat()}",
        recipients=admins,
        compose=compose,
    )
    logger.warning("Webhook endpoint %s disabled: %s", endpoint.pk, reason)


def _record(delivery: WebhookDelivery, attempt: WebhookAttempt, answer: Answer) -> str:
    now = timezone.now()
    with transaction.atomic():
        WebhookAttempt.objects.filter(pk=attempt.pk).update(
            status_code=answer.status_code,
            succeeded=answer.ok,
            response_excerpt=answer.excerpt,
            error=answer.error,
            duration_ms=answer.duration_ms,
        )
        endpoint = (
            WebhookEndpoint.objects.select_for_update().filter(pk=delivery.endpoint_id).first()
        )
        if endpoint is None:
            return "deleted"  # the endpoint (and its deliveries) went while this one was out
        sending = WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING)
        if answer.ok:
            sending.update(status=DeliveryStatus.DELIVERED, delivered_at=now, last_error="")
            if endpoint.consecutive_failures or endpoint.failing_since:
                endpoint.consecutive_failures = 0
                endpoint.failing_since = None
                endpoint.save(update_fields=["consecutive_failures", "failing_since"])
            return DeliveryStatus.DELIVERED
        error = answer.error or f"HTTP {answer.status_code}"
        endpoint.consecutive_failures += 1
        endpoint.failing_since = endpoint.failing_since or attempt.started_at
        endpoint.save(update_fields=["consecutive_failures", "failing_since"])
        if (
            endpoint.is_active
            and endpoint.consecutive_failures >= settings.WEBHOOK_DISABLE_MIN_FAILURES
            and now - endpoint.failing_since
            >= datetime.timedelta(seconds=settings.WEBHOOK_DISABLE_AFTER_SECONDS)
        ):
            sending.update(last_error=error)
            _disable(endpoint, now)
            return DeliveryStatus.FAILED
        when = now + _backoff(delivery.attempts)
        if when > delivery.created_at + datetime.timedelta(
            seconds=settings.WEBHOOK_RETRY_FOR_SECONDS
        ):
            sending.update(
                status=DeliveryStatus.FAILED,
                last_error=f"Gave up after {delivery.attempts} attempts: {error}",
            )
            return DeliveryStatus.FAILED
        sending.update(status=DeliveryStatus.PENDING, next_attempt_at=when, last_error=error)
        _schedule(delivery.pk, when)
    return DeliveryStatus.PENDING


@task(queue_name="email")
def deliver(delivery_id: int) -> str:
    """POST one delivery once; returns what became of it."""
    claimed = _claim(delivery_id)
    if claimed is None:
        return "skipped"
    delivery, endpoint, attempt = claimed
    answer = _post(endpoint, delivery)
    if not answer.ok:
        logger.warning(
            "Webhook %s to %s failed: %s",
            delivery.event_id,
            endpoint.url,
            answer.error or answer.status_code,
        )
    return _record(delivery, attempt, answer)


# How long finished deliveries and their log are kept.
KEEP_FOR = datetime.timedelta(days=30)


def prune(now: datetime.datetime | None = None) -> int:
    """Forget finished deliveries (and their attempts) older than KEEP_FOR; returns how many."""
    now = now or timezone.now()
    deleted, _counts = WebhookDelivery.objects.filter(
        status__in=[DeliveryStatus.DELIVERED, DeliveryStatus.FAILED],
        created_at__lt=now - KEEP_FOR,
    ).delete()
    return deleted


UNKNOWN_OUTCOME = (
    "The worker stopped before the answer was recorded: the outcome is unknown, so the event "
    "is sent again with the same event ID."
)


def recover() -> int:
    """A delivery left *sending* by a dead worker is sent again (at least once: same EventId),
    its lost attempt logged as unknown; a waiting delivery whose task was lost is enqueued."""
    now = timezone.now()
    stale = WebhookDelivery.objects.filter(
        status=DeliveryStatus.SENDING,
        claimed_at__lt=now - datetime.timedelta(seconds=settings.WEBHOOK_SENDING_TIMEOUT_SECONDS),
    ).values_list("pk", flat=True)
    enqueued = 0
    for pk in list(stale):
        with transaction.atomic():
            moved = WebhookDelivery.objects.filter(pk=pk, status=DeliveryStatus.SENDING).update(
                status=DeliveryStatus.PENDING, next_attempt_at=now, last_error=UNKNOWN_OUTCOME
            )
            if not moved:
                continue
            WebhookAttempt.objects.filter(delivery_id=pk, succeeded__isnull=True).update(
                error=UNKNOWN_OUTCOME[:EXCERPT_CHARS]
            )
            background.enqueue(deliver, pk)
        logger.warning("Webhook delivery %s: worker lost mid-send, sending again", pk)
        enqueued += 1
    lost = WebhookDelivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lt=now - LOST_AFTER
    ).values_list("pk", flat=True)
    for pk in list(lost):
        with transaction.atomic():
            background.enqueue(deliver, pk)
        enqueued += 1
    return enqueued


background.register_recoverer(recover)
