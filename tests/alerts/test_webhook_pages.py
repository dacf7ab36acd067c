"""The webhook pages: admin agents only (every other role 403, another partner's endpoint 404,
signed-out visitors to sign in), bad input refused with a clear message and nothing saved, and
the same queries however many endpoints and attempts there are."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alerts import webhooks
from alerts.models import Event, WebhookAttempt, WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

EDIT = "alerts:webhook_edit"
ACTIONS = [
    "alerts:webhook_test",
    "alerts:webhook_rotate",
    "alerts:webhook_enable",
    "alerts:webhook_delete",
]


@pytest.fixture
def endpoint(contoso, alice):
    made, _secret = webhooks.register(
        partner_id=contoso.pk,
        url="https://psa.contoso.example/hooks",
        events=[Event.ORDER_REFUSED],
        description="",
        by=alice,
    )
    return made


def test_the_list_links_the_admins_endpoints(client, alice, endpoint):
    client.force_login(alice)
    page = client.get(reverse("alerts:webhooks")).content.decode()
    assert reverse("alerts:webhook", args=[endpoint.public_id]) in page
    assert "An order was refused by the order gate" in page
    notifications = client.get(reverse("alerts:list")).content.decode()
    assert reverse("alerts:webhooks") in notifications


@pytest.mark.parametrize("persona", ["sam", "hana", "bill", "nora", "acme_admin", "operator"])
def test_every_other_role_is_refused(client, request, persona, endpoint):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("alerts:webhooks")).status_code == 403
    assert client.get(reverse("alerts:webhook_new")).status_code == 403
    assert (
        client.post(reverse("alerts:webhook_new"), {"url": "https://x.example"}).status_code == 403
    )
    assert client.get(reverse("alerts:webhook", args=[endpoint.public_id])).status_code == 403
    assert client.get(reverse(EDIT, args=[endpoint.public_id])).status_code == 403
    for name in [*ACTIONS, EDIT]:
        assert client.post(reverse(name, args=[endpoint.public_id])).status_code == 403
    assert WebhookEndpoint.objects.get() == endpoint
    assert not WebhookDelivery.objects.exists()


def test_the_notification_list_offers_webhooks_to_admins_only(client, sam):
    client.force_login(sam)
    assert reverse("alerts:webhooks") not in client.get(reverse("alerts:list")).content.decode()


@pytest.mark.parametrize("persona", ["lisa", "frank"])
def test_another_partners_admin_finds_nothing(client, request, persona, endpoint):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("alerts:webhooks")).status_code == 200
    assert endpoint.url not in client.get(reverse("alerts:webhooks")).content.decode()
    assert client.get(reverse("alerts:webhook", args=[endpoint.public_id])).status_code == 404
    assert client.get(reverse(EDIT, args=[endpoint.public_id])).status_code == 404
    for name in [*ACTIONS, EDIT]:
        assert client.post(reverse(name, args=[endpoint.public_id])).status_code == 404
    endpoint.refresh_from_db()
    assert endpoint.previous_secret_sealed == ""
    assert not WebhookDelivery.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, endpoint):
    for url in (reverse("alerts:webhooks"), reverse("alerts:webhook", args=[endpoint.public_id])):
        assert client.get(url).status_code == 302
    assert (
        client.post(reverse("alerts:webhook_delete", args=[endpoint.public_id])).status_code == 302
    )
    assert WebhookEndpoint.objects.exists()


def test_actions_need_a_post(client, alice, endpoint):
    client.force_login(alice)
    for name in ACTIONS:
        assert client.get(reverse(name, args=[endpoint.public_id])).status_code == 405


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://psa.example/hooks", "The URL must start with https://"),
        ("ftp://psa.example/hooks", "The URL must start with https://"),
        ("https://10.1.2.3/hooks", "The URL must point to a public address"),
        ("https://[fd00::1]/hooks", "The URL must point to a public address"),
        ("https://169.254.169.254/latest", "The URL must point to a public address"),
        ("https://user:pw@psa.example/hooks", "must not contain a user name or password"),
        ("not a url", "Enter a valid URL."),
    ],
)
def test_a_bad_url_is_refused_with_a_clear_message(client, alice, url, message):
    client.force_login(alice)
    response = client.post(
        reverse("alerts:webhook_new"), {"url": url, "events": [Event.ORDER_REFUSED]}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_plain_http_and_this_machine_only_where_allowed(client, alice, settings):
    client.force_login(alice)
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = False
    for url in ("http://127.0.0.1:8080/hooks", "https://localhost/hooks", "https://127.0.0.1/"):
        response = client.post(
            reverse("alerts:webhook_new"), {"url": url, "events": [Event.ORDER_REFUSED]}
        )
        assert response.status_code == 400, url
    assert not WebhookEndpoint.objects.exists()
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = True
    response = client.post(
        reverse("alerts:webhook_new"),
        {"url": "http://localhost:8080/hooks", "events": [Event.ORDER_REFUSED]},
    )
    assert response.status_code == 302
    # ... but never to another machine over plain http.
    response = client.post(
        reverse("alerts:webhook_new"),
        {"url": "http://psa.example/hooks", "events": [Event.ORDER_REFUSED]},
    )
    assert response.status_code == 400


def test_events_must_be_chosen_from_those_offered(client, alice):
    client.force_login(alice)
    url = "https://psa.example/hooks"
    response = client.post(reverse("alerts:webhook_new"), {"url": url})
    assert response.status_code == 400
    assert "Choose at least one event." in response.content.decode()
    for bad in ("carrier-pigeon", Event.WEBHOOK_DISABLED):
        response = client.post(reverse("alerts:webhook_new"), {"url": url, "events": [bad]})
        assert response.status_code == 400
    assert not WebhookEndpoint.objects.exists()


def test_a_partner_has_at_most_ten_endpoints(client, alice, contoso):
    for n in range(webhooks.MAX_ENDPOINTS_PER_PARTNER):
        webhooks.register(
            partner_id=contoso.pk,
            url=f"https://psa.example/{n}",
            events=[Event.ORDER_REFUSED],
            description="",
            by=alice,
        )
    client.force_login(alice)
    response = client.post(
        reverse("alerts:webhook_new"),
        {"url": "https://psa.example/more", "events": [Event.ORDER_REFUSED]},
    )
    assert response.status_code == 400
    assert "at most 10 endpoints" in response.content.decode()
    assert WebhookEndpoint.objects.count() == webhooks.MAX_ENDPOINTS_PER_PARTNER


def test_deleting_an_endpoint_takes_its_log(client, alice, endpoint):
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event_name="x", key="k", body="{}")
    WebhookAttempt.objects.create(delivery=delivery, endpoint=endpoint, number=1, status_code=200)
    client.force_login(alice)
    response = client.post(reverse("alerts:webhook_delete", args=[endpoint.public_id]))
    assert response.status_code == 302
    assert not WebhookEndpoint.objects.exists()
    assert not WebhookAttempt.objects.exists()


def test_the_pages_cost_the_same_queries_at_two_sizes(
    client, alice, contoso, endpoint, django_assert_num_queries
):
    client.force_login(alice)

    def add(count: int) -> None:
        start = WebhookDelivery.objects.count()
        for n in range(count):
            webhooks.register(
                partner_id=contoso.pk,
                url=f"https://psa.example/{start + n}",
                events=[Event.ORDER_REFUSED, Event.ACCEPTED_DIRECTLY],
                description="",
                by=alice,
            )
            delivery = WebhookDelivery.objects.create(
                endpoint=endpoint, event_name="order-refused", key=f"k{start + n}", body="{}"
            )
            WebhookAttempt.objects.bulk_create(
                WebhookAttempt(
                    delivery=delivery,
                    endpoint=endpoint,
                    number=attempt,
                    status_code=500,
                    succeeded=False,
                    started_at=timezone.now(),
                )
                for attempt in (1, 2, 3)
            )

    add(1)
    pages = (
        reverse("alerts:webhooks"),
        reverse("alerts:webhook_new"),
        reverse(EDIT, args=[endpoint.public_id]),
        reverse("alerts:webhook", args=[endpoint.public_id]),
    )
    for url in pages:
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        WebhookEndpoint.objects.exclude(pk=endpoint.pk).delete()
        add(8)
        with django_assert_num_queries(len(few)):
            client.get(url)


def test_operators_read_endpoints_in_the_admin_without_their_secrets(client, operator, endpoint):
    client.force_login(operator)
    page = client.get(reverse("admin:alerts_webhookendpoint_change", args=[endpoint.pk]))
    assert page.status_code == 200
    assert endpoint.url in page.content.decode()
    assert endpoint.secret_sealed not in page.content.decode()
    assert client.get(reverse("admin:alerts_webhookendpoint_changelist")).status_code == 200
    assert client.get(reverse("admin:alerts_webhookdelivery_changelist")).status_code == 200


def test_an_admin_changes_the_events_and_url_and_the_secret_stays(client, alice, endpoint):
    sealed = endpoint.secret_sealed
    client.force_login(alice)
    form = client.get(reverse(EDIT, args=[endpoint.public_id])).context["form"]
    assert form.initial["events"] == [Event.ORDER_REFUSED]
    response = client.post(
        reverse(EDIT, args=[endpoint.public_id]),
        {
            "url": "https://psa2.contoso.example/h",
            "events": [Event.ACCEPTED_DIRECTLY, Event.ORDER_REFUSED],
        },
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.url == "https://psa2.contoso.example/h"
    assert endpoint.events == sorted([Event.ACCEPTED_DIRECTLY, Event.ORDER_REFUSED])
    assert endpoint.secret_sealed == sealed
    bad = client.post(
        reverse(EDIT, args=[endpoint.public_id]),
        {"url": "http://psa.example/h", "events": [Event.ORDER_REFUSED]},
    )
    assert bad.status_code == 400
    assert "The URL must start with https://" in bad.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.url == "https://psa2.contoso.example/h"
