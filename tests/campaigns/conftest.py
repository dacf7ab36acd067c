"""A campaign: version 2 of the MCA requires re-acceptance; Contoso's customers stand in each
state of it, Litware's customer is due too (and no business of Contoso's)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from agreements import reacceptance
from agreements.models import AcceptanceMethod, Channel
from agreements.services import Contact, record_acceptance
from invitations.models import InvitationStatus
from tests import factories as f

LONG_AGO = datetime.date(2025, 1, 10)


@pytest.fixture
def campaign_world(contoso, litware, sam, lisa, template_cz, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 28, 10, 0, tzinfo=datetime.UTC))
    customers = {}
    for name in ("Due", "Invited", "Blocked", "Done", "Nothing"):
        customer = f.CustomerFactory(company_name=f"{name} s.r.o.")
        f.RelationshipFactory(partner=contoso, customer=customer)
        customers[name] = customer
        if name != "Nothing":
            f.attest(customer, sam, date_agreed=LONG_AGO)
    f.InvitationFactory(
        partner=contoso, customer=customers["Blocked"], status=InvitationStatus.BLOCKED
    )
    version = f.AgreementTemplateFactory(
        version_rank=template_cz.version_rank + 1,
        published_on=datetime.date(2026, 10, 1),
        requires_reacceptance=True,
        reacceptance_deadline=datetime.date(2026, 12, 28),
    )
    f.AgreementDocumentFactory(template=version, country="CZ")
    reacceptance.schedule(version)
    f.InvitationFactory(
        partner=contoso,
        customer=customers["Invited"],
        expires_at=timezone.now() + datetime.timedelta(days=5),
    )
    from customers.status import refresh_agreement_status

    refresh_agreement_status(customers["Invited"])
    f.attest(customers["Done"], sam, date_agreed=datetime.date(2026, 11, 2), first_name="Petr")
    theirs = f.CustomerFactory(company_name="Globex Due")
    f.RelationshipFactory(partner=litware, customer=theirs)
    attest_older(theirs, lisa, template_cz)
    return version, customers


def attest_older(customer, agent, template):
    """An attestation of an older version (the agent names it), as of LONG_AGO."""
    return record_acceptance(
        customer=customer,
        partner=agent.partner,
        recorded_by=agent,
        method=AcceptanceMethod.PARTNER_ATTESTATION,
        channel=Channel.WEB,
        contact=Contact("Jana", "Nováková", "jana@example.cz"),
        date_agreed=LONG_AGO,
        template=template,
    )
