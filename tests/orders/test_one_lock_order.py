"""One lock order (customers.locks): web orders with the inline attestation, API attestations
and invitation accepts racing on one customer all finish, none with a deadlock or a 500."""

from __future__ import annotations

import datetime
import io
import threading

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from agreements.models import Acceptance, EvidenceChainHead
from agreements.services import Contact
from invitations.services import InvitationUnavailable, accept_invitation
from orders.models import Order, OrderChannel
from orders.services import place_order
from tests import factories as f
from tests.api.conftest import ApiClient

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="row locks and deadlocks need PostgreSQL; SQLite serialises every writer",
    ),
]

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)
ROUNDS = 6


@pytest.fixture(autouse=True)
def _chain_head(db):
    EvidenceChainHead.objects.get_or_create(pk=1)


def _together(jobs):
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait(timeout=20)
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - each outcome is inspected below
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_orders_attestations_and_accepts_on_one_customer_never_deadlock(
    acme, contoso, litware, alice, sam, lisa, acme_admin, invite, template_cz
):
    acme_template = template_cz
    from portal.models import ApiToken

    licence = f.OfferFactory(offer_id="MS-365-E3", countries=["CZ"])
    f.RelationshipFactory(partner=litware, customer=acme)
    invitations = [invite(acme, agent=sam)[0], invite(acme, agent=lisa)[0]]
    secrets = [ApiToken.issue(user=agent, name=f"race {agent.pk}")[1] for agent in (alice, sam)]

    def web_order(index):
        contact = Contact("Jana", f"Web {index}", f"web{index}@acme.example")
        return lambda: place_order(
            customer=acme,
            partner=contoso,
            placed_by=(alice, sam)[index % 2],
            lines=[(licence, 1)],
            attestation=(contact, YESTERDAY),
            channel=OrderChannel.WEB,
        )

    def api_attestation(index):
        body = {
            "primaryContact": {
                "firstName": "Petr",
                "lastName": f"Api {index}",
                "email": f"api{index}@acme.example",
            },
            "templateId": str(acme_template.template_id),
            "dateAgreed": YESTERDAY.isoformat(),
            "type": "MicrosoftCustomerAgreement",
        }
        client = ApiClient(secrets[index % 2])
        return lambda: client.post_json(f"/v1/customers/{acme.tenant_id}/agreements", body)

    def accept(invitation):
        return lambda: accept_invitation(
            invitation_id=invitation.pk,
            user=acme_admin,
            accept_agreement=True,
            accept_relationship=False,
            ip_address="203.0.113.9",
            user_agent="race",
        )

    jobs = [web_order(i) for i in range(ROUNDS)] + [api_attestation(i) for i in range(ROUNDS)]
    jobs += [accept(invitation) for invitation in invitations for _twice in range(2)]
    results = _together(jobs)

    orders = results[:ROUNDS]
    answers = results[ROUNDS : 2 * ROUNDS]
    accepts = results[2 * ROUNDS :]
    assert all(isinstance(r, Order) for r in orders), orders
    assert [getattr(r, "status_code", r) for r in answers] == [201] * ROUNDS
    # An accept goes through, or is refused for a reason of the domain: its twin got there
    # first, or an order placed a moment earlier blocks direct acceptance (R6, D1).
    assert all(
        not isinstance(r, Exception) or isinstance(r, InvitationUnavailable) for r in accepts
    ), accepts
    accepted = sum(not isinstance(r, Exception) for r in accepts)
    assert accepted <= len(invitations)

    records = list(Acceptance.objects.order_by("sequence"))
    assert len(records) == 2 * ROUNDS + accepted
    assert [r.sequence for r in records] == list(range(1, len(records) + 1))
    assert all(b.previous_hash == a.chain_hash for a, b in zip(records, records[1:], strict=False))
    out = io.StringIO()
    call_command("verify_evidence", stdout=out)
    assert f"{len(records)} records verified" in out.getvalue()
