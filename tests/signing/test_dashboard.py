"""The dashboard's "Needs your action" queue lists signing links the signatory declined, let
expire, or the partner revoked — declined first, then expired, then revoked — until resent
or the customer is on record, each with the action the agent's role allows; its query count
doesn't grow with the links."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from signing import services
from signing.models import SigningRequest, SigningStatus
from tests import factories as f
from tests.portfolio.test_dashboard_query_budget import BUDGET
from tests.signing.conftest import SIGNATORY

pytestmark = pytest.mark.django_db


def queue_html(client, agent) -> str:
    client.force_login(agent)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    return response.content.decode()


def signing_rows(html: str) -> list[tuple[str, str]]:
    """(status, row html) of the queue's signing rows, in order."""
    if 'data-queue="signing"' not in html:
        return []
    section = html.split('data-queue="signing"')[1].split("</ul>")[0]
    return re.findall(r'data-signing-status="(\w+)">(.*?)</li>', section, re.DOTALL)


def signatory(name: str) -> services.Signatory:
    return services.Signatory(name, "Novák", f"{name.lower()}@acme.example")


@pytest.fixture
def three_links(client, acme, contoso, start_signing, verified, time_machine):
    """Acme: a declined link, an expired one (left open past its expiry) and a revoked one."""
    declined, path = start_signing(acme)
    proof = verified(path)
    client.post(path + "answer/", {"proof": proof, "reason": "Wrong person.", "decline": "1"})
    client.logout()
    expired, _path = start_signing(acme, signatory=signatory("Petr"), expires_in_days=1)
    revoked, _path = start_signing(acme, signatory=signatory("Eva"))
    services.revoke_signing(request=revoked)
    time_machine.move_to(timezone.now() + datetime.timedelta(days=2))
    return declined, expired, revoked


def test_declined_expired_and_revoked_links_are_in_the_queue_most_urgent_first(
    client, sam, three_links
):
    html = queue_html(client, sam)
    assert "Needs your action" in html
    rows = signing_rows(html)
    assert [status for status, _row in rows] == ["declined", "expired", "revoked"]
    assert "Wrong person." in rows[0][1]
    assert "petr@acme.example" in rows[1][1] and "eva@acme.example" in rows[2][1]
    # Its own dashboard section is gone: the queue is the one place.
    assert "Signing links declined or expired" not in html


def test_a_resent_link_leaves_the_queue(client, sam, three_links):
    declined, _expired, _revoked = three_links
    client.force_login(sam)
    response = client.post(f"/signing/requests/{declined.public_id}/resend/")
    assert response.status_code == 302
    assert [status for status, _row in signing_rows(queue_html(client, sam))] == [
        "expired",
        "revoked",
    ]


def test_a_customer_on_record_leaves_the_queue(client, sam, acme, three_links):
    f.attest(acme, sam)
    assert signing_rows(queue_html(client, sam)) == []


def test_a_link_older_than_the_window_has_left_the_queue(client, sam, three_links, time_machine):
    time_machine.move_to(timezone.now() + datetime.timedelta(days=31))
    assert signing_rows(queue_html(client, sam)) == []


@pytest.mark.parametrize("persona", ["alice", "sam"])
def test_admin_and_sales_agents_get_resend_and_a_new_request(client, request, persona, three_links):
    rows = signing_rows(queue_html(client, request.getfixturevalue(persona)))
    for _status, row in rows:
        assert 'data-action="resend-signing"' in row and 'data-action="start-signing"' in row


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_read_only_agents_see_the_rows_without_actions_and_are_refused_them(
    client, request, persona, acme, three_links
):
    declined, _expired, _revoked = three_links
    agent = request.getfixturevalue(persona)
    rows = signing_rows(queue_html(client, agent))
    assert len(rows) == 3
    assert all("data-action" not in row for _status, row in rows)
    assert client.post(f"/signing/requests/{declined.public_id}/resend/").status_code == 403
    assert client.get(f"/signing/customers/{acme.tenant_id}/start/").status_code == 403
    declined.refresh_from_db()
    assert declined.replaced_by_id is None


def test_another_partner_and_a_reseller_see_none_of_them(client, lisa, nora, three_links):
    declined, _expired, _revoked = three_links
    assert signing_rows(queue_html(client, lisa)) == []
    assert client.post(f"/signing/requests/{declined.public_id}/resend/").status_code == 404
    assert signing_rows(queue_html(client, nora)) == []


def test_a_customer_admin_and_anonymous_get_no_dashboard(client, acme_admin, three_links):
    assert client.get("/dashboard/").status_code == 302
    client.force_login(acme_admin)
    assert client.get("/dashboard/").status_code in (302, 403)


def test_nothing_to_follow_up_shows_no_signing_rows(client, sam, acme, start_signing):
    start_signing(acme, signatory=SIGNATORY)
    html = queue_html(client, sam)
    assert signing_rows(html) == []
    assert "Nothing waits for you" in html


def dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/dashboard/").status_code == 200
    return len(queries)


def add_links(contoso, sam, make_customer, number):
    """``number`` customers each with a declined, an expired and a revoked link."""
    for _ in range(number):
        customer = make_customer(contoso)
        for status in (SigningStatus.DECLINED, SigningStatus.EXPIRED, SigningStatus.REVOKED):
            request, _token = services.start_signing(
                customer=customer,
                partner=contoso,
                started_by=sam,
                signatory=signatory(status.capitalize()),
                document=_document(),
            )
            now = timezone.now()
            SigningRequest.objects.filter(pk=request.pk).update(
                status=status,
                declined_at=now if status == SigningStatus.DECLINED else None,
                revoked_at=now if status == SigningStatus.REVOKED else None,
                expires_at=now if status == SigningStatus.EXPIRED else request.expires_at,
            )


def _document():
    from signing.selectors import document_in_force

    return document_in_force("US", "en-US")


def test_the_queries_dont_grow_with_the_links(client, sam, contoso, template_cz):
    def make_customer(partner):
        customer = f.CustomerFactory()
        f.RelationshipFactory(partner=partner, customer=customer)
        return customer

    client.force_login(sam)
    add_links(contoso, sam, make_customer, 1)
    few = dashboard_queries(client)
    add_links(contoso, sam, make_customer, 6)
    many = dashboard_queries(client)
    # The queue's signing rows are one query: the dashboard's budget (tests/portfolio) holds.
    assert few == many <= BUDGET
    rows = signing_rows(queue_html(client, sam))
    assert len(rows) == 10
    assert [status for status, _row in rows[:6]] == ["declined"] * 6
