"""A partner above LIVE_COUNT_LIMIT relationships (900,000 customers took seconds a count)
sees its campaigns' figures from a snapshot a background task counts, with the time they were
counted; a partner below it is counted live as before. Either way a page costs the same
queries at any size."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django_tasks_db.models import DBTaskResult

from campaigns import snapshots
from campaigns.models import CampaignSnapshot
from tests import factories as f
from tests.campaigns.conftest import attest_older

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
}


@pytest.fixture
def large(monkeypatch):
    """Every partner counts as large: its figures come from snapshots."""
    monkeypatch.setattr(snapshots, "LIVE_COUNT_LIMIT", 0)


def page(client, version, **params):
    return client.get(reverse("campaigns:detail", args=[version.template_id]), params)


def as_of(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def add_due(partner, agent, template, number):
    for _ in range(number):
        customer = f.CustomerFactory()
        f.RelationshipFactory(partner=partner, customer=customer)
        attest_older(customer, agent, template)


@pytest.mark.parametrize("persona", ["alice", "sam", "hana", "bill"])
def test_every_role_of_a_large_partner_sees_the_counts_and_their_time(
    client, request, persona, large, campaign_world
):
    version, _customers = campaign_world
    client.force_login(request.getfixturevalue(persona))
    dashboard = client.get(reverse("dashboard")).content.decode()
    counted_at = CampaignSnapshot.objects.get(template=version).counted_at
    assert counted_at is not None
    assert (
        "3 customers still to renew, 1 customer accepted again, 30 days left in the campaign"
        in dashboard
    )
    assert f"(as of {as_of(counted_at)})" in dashboard
    response = page(client, version)
    counts = response.context["counts"]
    assert (counts.due, counts.invited, counts.blocked, counts.done) == (1, 1, 1, 1)
    assert response.context["as_of"] == counted_at
    html = response.content.decode()
    assert f"Counted as of {as_of(counted_at)}" in html
    assert "1 of 4" in html  # the progress chart, from the snapshot
    listing = client.get(reverse("campaigns:list")).content.decode()
    assert f"(as of {as_of(counted_at)})" in listing


def test_a_small_partner_is_counted_live_and_says_no_time(client, sam, campaign_world):
    version, _customers = campaign_world
    client.force_login(sam)
    response = page(client, version)
    assert response.context["as_of"] is None
    assert "Counted as of" not in response.content.decode()
    assert "(as of" not in client.get(reverse("dashboard")).content.decode()
    assert not CampaignSnapshot.objects.exists()


def test_the_czech_page_and_dashboard_say_when_they_were_counted(
    client, sam, large, campaign_world
):
    version, _customers = campaign_world
    client.force_login(sam)
    client.cookies["django_language"] = "cs"
    dashboard = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="cs").content.decode()
    html = page(client, version).content.decode()
    counted_at = CampaignSnapshot.objects.get().counted_at
    with translation.override("cs"):
        moment = as_of(counted_at)
    assert f"(stav k {moment})" in dashboard
    assert f"Spočítáno k {moment}" in html


def test_a_large_partner_counts_only_its_own_customers(client, sam, lisa, large, campaign_world):
    version, _customers = campaign_world
    for agent, due in ((sam, 1), (lisa, 1)):
        client.force_login(agent)
        counts = page(client, version).context["counts"]
        assert counts.due == due
    contoso = CampaignSnapshot.objects.get(partner=sam.partner)
    litware = CampaignSnapshot.objects.get(partner=lisa.partner)
    assert (contoso.due, contoso.invited, contoso.blocked, contoso.done) == (1, 1, 1, 1)
    assert (litware.due, litware.invited, litware.blocked, litware.done) == (1, 0, 0, 0)


def test_a_large_provider_counts_its_resellers_customers_as_its_page_lists_them(
    client, frank, nora, initech, template_cz, large, campaign_world
):
    version, _customers = campaign_world
    attest_older(initech, frank, template_cz)
    for agent in (frank, nora):
        client.force_login(agent)
        response = page(client, version)
        assert response.context["counts"].due == 1, agent
        assert response.context["as_of"] is not None
    assert CampaignSnapshot.objects.count() == 2  # one per partner


def test_figures_are_recounted_once_stale_and_shown_with_their_age_meanwhile(
    client, sam, contoso, template_cz, large, campaign_world, settings, time_machine
):
    """Under a worker (the database backend) the reader only requests the recount."""
    version, _customers = campaign_world
    settings.TASKS = DATABASE_TASKS
    client.force_login(sam)
    first = page(client, version)
    assert first.context["counts"] is None
    assert "Your customers are being counted" in first.content.decode()
    assert "being counted, the figures appear" in client.get(reverse("dashboard")).content.decode()
    # However many readers, one task a pending request.
    assert DBTaskResult.objects.count() == 1
    assert snapshots.recount.call(contoso.pk, version.pk) == "counted"
    assert snapshots.recount.call(contoso.pk, version.pk) == "skipped"
    counted = page(client, version).context
    assert counted["counts"].due == 1
    counted_at = counted["as_of"]
    add_due(contoso, sam, template_cz, 2)
    # Fresh figures are shown as they were counted, and no recount is asked for.
    assert page(client, version).context["counts"].due == 1
    assert DBTaskResult.objects.count() == 1
    time_machine.shift(snapshots.STALE_AFTER + datetime.timedelta(seconds=1))
    stale = page(client, version).context
    assert (stale["counts"].due, stale["as_of"]) == (1, counted_at)
    assert DBTaskResult.objects.count() == 2
    snapshots.recount.call(contoso.pk, version.pk)
    recounted = page(client, version).context
    assert recounted["counts"].due == 3
    assert recounted["as_of"] > counted_at


def test_a_recount_whose_task_was_lost_is_enqueued_again(
    sam, contoso, large, campaign_world, settings, time_machine, client
):
    version, _customers = campaign_world
    settings.TASKS = DATABASE_TASKS
    client.force_login(sam)
    page(client, version)
    assert snapshots.recover() == 0
    time_machine.shift(snapshots.LOST_AFTER + datetime.timedelta(seconds=1))
    assert snapshots.recover() == 1
    assert DBTaskResult.objects.count() == 2
    assert snapshots.recover() == 0  # its request is new again
    assert snapshots.recount.call(contoso.pk, version.pk) == "counted"
    assert CampaignSnapshot.objects.get().requested_at is None


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("size", ["small", "large"])
def test_the_dashboard_list_and_page_cost_the_same_queries_at_two_sizes(
    client, request, size, sam, contoso, template_cz, campaign_world, time_machine
):
    if size == "large":
        request.getfixturevalue("large")
    version, _customers = campaign_world
    client.force_login(sam)
    urls = [
        reverse("dashboard"),
        reverse("campaigns:list"),
        reverse("campaigns:detail", args=[version.template_id]),
    ]
    for url in urls:
        client.get(url)  # a snapshot counted, a session warmed
    few = [queries(client, url) for url in urls]
    add_due(contoso, sam, template_cz, 30)
    time_machine.shift(snapshots.STALE_AFTER + datetime.timedelta(seconds=1))
    client.get(urls[0])  # a large partner's recount (the immediate backend runs it here)
    many = [queries(client, url) for url in urls]
    assert few == many
    assert page(client, version).context["counts"].due == 31


@pytest.mark.parametrize("size", ["small", "large"])
def test_a_providers_pages_cost_the_same_queries_at_two_sizes(
    client, request, size, frank, northwind, initech, template_cz, campaign_world, time_machine
):
    """A provider counts its resellers' customers: they add no query either."""
    if size == "large":
        request.getfixturevalue("large")
    version, _customers = campaign_world
    attest_older(initech, frank, template_cz)
    client.force_login(frank)
    urls = [
        reverse("dashboard"),
        reverse("campaigns:list"),
        reverse("campaigns:detail", args=[version.template_id]),
    ]
    for url in urls:
        client.get(url)
    few = [queries(client, url) for url in urls]
    add_due(northwind, frank, template_cz, 30)
    time_machine.shift(snapshots.STALE_AFTER + datetime.timedelta(seconds=1))
    client.get(urls[0])
    many = [queries(client, url) for url in urls]
    assert few == many
    assert page(client, version).context["counts"].due == 31
