"""The alert settings and the notification list: every agent's own, the header's unread count,
bad input refused with nothing saved, refused to customer admins, fixed queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alerts.models import ADMIN_EVENTS, AlertPreference, Delivery, Event, Notification
from tests import factories as f

pytestmark = pytest.mark.django_db

AGENTS = ["alice", "sam", "hana", "bill", "frank", "nora", "lisa"]


def every_event(delivery: str) -> dict[str, str]:
    return {event: delivery for event in Event.values}


@pytest.mark.parametrize("persona", AGENTS)
def test_every_agent_sets_its_own_alerts(client, request, persona):
    agent = request.getfixturevalue(persona)
    client.force_login(agent)
    assert client.get(reverse("alerts:preferences")).status_code == 200
    response = client.post(reverse("alerts:preferences"), every_event(Delivery.NONE))
    assert response.status_code == 302
    # A webhook disabled is news for admin agents only (they manage webhooks).
    events = set(Event.values) - (set() if agent.role == "admin_agent" else set(ADMIN_EVENTS))
    assert set(AlertPreference.objects.filter(user=agent).values_list("event", "delivery")) == {
        (event, Delivery.NONE) for event in events
    }


def test_the_form_shows_the_roles_defaults(client, hana, sam):
    client.force_login(hana)
    form = client.get(reverse("alerts:preferences")).context["form"]
    assert {field.initial for field in form.fields.values()} == {Delivery.DIGEST}
    client.force_login(sam)
    form = client.get(reverse("alerts:preferences")).context["form"]
    assert {field.initial for field in form.fields.values()} == {Delivery.IMMEDIATE}


def test_a_bad_value_is_400_and_nothing_is_saved(client, sam):
    client.force_login(sam)
    choices = every_event(Delivery.DIGEST)
    choices[Event.ORDER_REFUSED] = "carrier-pigeon"
    response = client.post(reverse("alerts:preferences"), choices)
    assert response.status_code == 400
    assert not AlertPreference.objects.exists()


@pytest.mark.parametrize("name", ["alerts:preferences", "alerts:list"])
def test_customer_admins_and_operators_are_refused(client, acme_admin, operator, name):
    for user in (acme_admin, operator):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get(reverse("alerts:list")).status_code == 302


def test_the_list_shows_ones_own_and_reading_them_clears_the_count(
    client, contoso, acme, acme_admin, sam, alice
):
    f.accept_directly(acme, acme_admin, contoso)
    client.force_login(sam)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert '<span class="text-bg-light badge" data-unread-count>1</span>' in dashboard
    listing = client.get(reverse("alerts:list"))
    assert [n.recipient for n in listing.context["page"].object_list] == [sam]
    # In the page's language, whatever the language it was written in (Czech, the email's).
    assert "Acme s.r.o. accepted the Microsoft Customer Agreement" in listing.content.decode()
    czech = client.get(reverse("alerts:list"), HTTP_ACCEPT_LANGUAGE="cs").content.decode()
    assert "Acme s.r.o. přijal Zákaznickou smlouvu Microsoftu" in czech
    assert client.post(reverse("alerts:read_all")).status_code == 302
    sam.refresh_from_db()
    assert sam.unread_notifications == 0
    assert not Notification.objects.filter(recipient=sam, read_at__isnull=True).exists()
    alice.refresh_from_db()
    assert alice.unread_notifications == 1


def test_a_notification_written_in_czech_reads_in_the_pages_language(
    client, contoso, acme, acme_admin, sam
):
    """Written while Czech is active (as the demo does), for an agent of a Czech partner."""
    from django.utils import translation

    with translation.override("cs"):
        f.accept_directly(acme, acme_admin, contoso)
    note = Notification.objects.get(recipient=sam)
    assert "přijal" in note.title  # the email's language, kept for old rows' sake
    client.force_login(sam)
    english = client.get(reverse("alerts:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Acme s.r.o. accepted version" in english
    assert "přijal" not in english
    czech = client.get(reverse("alerts:list"), HTTP_ACCEPT_LANGUAGE="cs").content.decode()
    assert "Acme s.r.o. přijal" in czech
    assert "accepted the Microsoft" not in czech


def test_an_older_notification_shows_its_stored_text(client, sam):
    Notification.objects.create(
        recipient=sam,
        event=Event.ORDER_REFUSED,
        key="old",
        delivery=Delivery.DIGEST,
        title="Objednávka odmítnuta",
        body="Starý text",
    )
    client.force_login(sam)
    page = client.get(reverse("alerts:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Objednávka odmítnuta" in page and "Starý text" in page


def test_reading_needs_a_post(client, sam):
    client.force_login(sam)
    assert client.get(reverse("alerts:read_all")).status_code == 405


def test_the_pages_cost_the_same_queries_at_two_sizes(client, sam, django_assert_num_queries):
    client.force_login(sam)

    def add(count: int) -> None:
        start = Notification.objects.count()
        Notification.objects.bulk_create(
            Notification(
                recipient=sam,
                event=Event.ORDER_REFUSED,
                key=f"test:{start + n}",
                delivery=Delivery.IMMEDIATE,
                title=f"Refused {n}",
                body="…",
            )
            for n in range(count)
        )

    add(2)
    for name in ("alerts:list", "alerts:preferences"):
        client.get(reverse(name))
        with CaptureQueriesContext(connection) as few:
            client.get(reverse(name))
        add(40)
        with django_assert_num_queries(len(few)):
            client.get(reverse(name))
