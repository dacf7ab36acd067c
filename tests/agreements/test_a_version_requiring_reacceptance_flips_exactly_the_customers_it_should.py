"""A version that requires re-acceptance makes "re-acceptance due" exactly the relationships
whose newest record that counts is of an older version (or dated before the cut-off), per
partner scope and per country, from its publication day; renewing ends it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from agreements import reacceptance
from agreements.models import ReacceptanceSweep, SweepStatus
from customers.models import AgreementStatus, Relationship
from invitations.models import InvitationStatus
from tests import factories as f

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 28, 10, 0, tzinfo=datetime.UTC))


def status(customer, partner) -> str:
    return Relationship.objects.get(customer=customer, partner=partner).agreement_status


def publish_v2(template_cz, *, published_on=TODAY, cutoff=None, countries=("CZ",)):
    version = f.AgreementTemplateFactory(
        version_rank=template_cz.version_rank + 1,
        published_on=published_on,
        requires_reacceptance=True,
        reacceptance_cutoff=cutoff,
    )
    version.full_clean()
    version.save()
    for country in countries:
        f.AgreementDocumentFactory(template=version, country=country)
    reacceptance.schedule(version)
    return version


def test_an_older_version_on_record_becomes_due(sam, acme, template_cz):
    f.attest(acme, sam, date_agreed=TODAY - datetime.timedelta(days=30))
    assert status(acme, sam.partner) == AgreementStatus.ATTESTED
    publish_v2(template_cz)
    assert status(acme, sam.partner) == AgreementStatus.DUE


def test_nothing_on_record_and_blocked_customers_are_left_alone(sam, acme, contoso, template_cz):
    blocked = f.CustomerFactory()
    f.RelationshipFactory(partner=contoso, customer=blocked)
    f.InvitationFactory(partner=contoso, customer=blocked, status=InvitationStatus.BLOCKED)
    f.attest(blocked, sam, date_agreed=TODAY - datetime.timedelta(days=30))
    publish_v2(template_cz)
    assert status(acme, contoso) == AgreementStatus.NONE
    # Blocked (R6) takes precedence: only the partner can renew it, by attesting.
    assert status(blocked, contoso) == AgreementStatus.BLOCKED


def test_a_record_of_the_new_version_is_not_due_and_renewing_ends_it(sam, acme, template_cz):
    f.attest(acme, sam, date_agreed=TODAY - datetime.timedelta(days=30))
    publish_v2(template_cz, published_on=TODAY - datetime.timedelta(days=3))
    assert status(acme, sam.partner) == AgreementStatus.DUE
    record = f.attest(acme, sam, date_agreed=TODAY, first_name="Petr")
    assert record.template.version_rank == template_cz.version_rank + 1
    assert status(acme, sam.partner) == AgreementStatus.ATTESTED


def test_records_before_the_cutoff_are_due_even_of_the_new_version(sam, contoso, template_cz):
    early, late = f.CustomerFactory(), f.CustomerFactory()
    for customer in (early, late):
        f.RelationshipFactory(partner=contoso, customer=customer)
    version = f.AgreementTemplateFactory(
        version_rank=template_cz.version_rank + 1, published_on=TODAY - datetime.timedelta(days=20)
    )
    f.AgreementDocumentFactory(template=version, country="CZ")
    f.attest(early, sam, date_agreed=TODAY - datetime.timedelta(days=15))
    f.attest(late, sam, date_agreed=TODAY - datetime.timedelta(days=2))
    version.requires_reacceptance = True
    version.reacceptance_cutoff = TODAY - datetime.timedelta(days=10)
    version.full_clean()
    version.save()
    reacceptance.schedule(version)
    assert status(early, contoso) == AgreementStatus.DUE
    assert status(late, contoso) == AgreementStatus.ATTESTED


def test_each_partner_sees_its_own_records(sam, lisa, contoso, litware, template_cz):
    shared = f.CustomerFactory()
    f.RelationshipFactory(partner=contoso, customer=shared)
    f.RelationshipFactory(partner=litware, customer=shared)
    f.attest(shared, sam, date_agreed=TODAY - datetime.timedelta(days=30))
    version = publish_v2(template_cz, published_on=TODAY - datetime.timedelta(days=5))
    f.attest(shared, lisa, date_agreed=TODAY)
    assert status(shared, contoso) == AgreementStatus.DUE
    assert status(shared, litware) == AgreementStatus.ATTESTED
    assert version.version_rank > template_cz.version_rank


def test_a_resellers_customer_is_due_on_its_providers_old_attestation(
    frank, initech, northwind, template_cz
):
    f.attest(initech, frank, date_agreed=TODAY - datetime.timedelta(days=30))
    assert status(initech, northwind) == AgreementStatus.ATTESTED
    publish_v2(template_cz)
    assert status(initech, northwind) == AgreementStatus.DUE


def test_a_country_the_version_has_no_document_for_is_not_due(sam, contoso, template_cz):
    american = f.CustomerFactory(country="US", language="en")
    f.RelationshipFactory(partner=contoso, customer=american)
    f.attest(american, sam, date_agreed=TODAY - datetime.timedelta(days=30))
    publish_v2(template_cz, countries=("CZ",))
    assert status(american, contoso) == AgreementStatus.ATTESTED


def test_a_due_customer_invited_to_renew_stays_due_with_its_invitation_open(
    sam, acme, contoso, template_cz
):
    f.attest(acme, sam, date_agreed=TODAY - datetime.timedelta(days=30))
    until = timezone.now() + datetime.timedelta(days=10)
    f.InvitationFactory(partner=contoso, customer=acme, expires_at=until)
    publish_v2(template_cz)
    relationship = Relationship.objects.get(customer=acme, partner=contoso)
    assert relationship.agreement_status == AgreementStatus.DUE
    assert relationship.invited_until == until


def test_a_scheduled_version_flips_nobody_until_its_day(sam, acme, contoso, template_cz, time_machine):
    f.attest(acme, sam, date_agreed=TODAY - datetime.timedelta(days=30))
    version = publish_v2(template_cz, published_on=TODAY + datetime.timedelta(days=2))
    assert status(acme, contoso) == AgreementStatus.ATTESTED
    sweep = ReacceptanceSweep.objects.get(template=version, status=SweepStatus.PENDING)
    assert sweep.run_on == version.published_on

    time_machine.move_to(datetime.datetime(2026, 11, 30, 0, 5, tzinfo=datetime.UTC))
    call_command("reacceptance_sweeps", "--now", verbosity=0)
    assert status(acme, contoso) == AgreementStatus.DUE
    sweep.refresh_from_db()
    assert sweep.status == SweepStatus.DONE and sweep.changed == 1


def test_the_sweep_walks_in_batches_and_resumes_from_its_cursor(
    sam, contoso, template_cz, monkeypatch
):
    customers = [f.CustomerFactory() for _ in range(5)]
    for customer in customers:
        f.RelationshipFactory(partner=contoso, customer=customer)
        f.attest(customer, sam, date_agreed=TODAY - datetime.timedelta(days=30))
    monkeypatch.setattr(reacceptance, "BATCH", 2)
    version = f.AgreementTemplateFactory(
        version_rank=template_cz.version_rank + 1, published_on=TODAY, requires_reacceptance=True
    )
    f.AgreementDocumentFactory(template=version, country="CZ")
    sweep = ReacceptanceSweep.objects.create(template=version, run_on=TODAY)
    # A worker that stopped after one batch: its work is committed with the cursor.
    assert reacceptance.run_batch(sweep.pk)
    sweep.refresh_from_db()
    assert sweep.changed == 2 and sweep.status == SweepStatus.PENDING
    sweep.touched_at = timezone.now() - datetime.timedelta(hours=1)
    sweep.save()
    # The recoverer enqueues it again (tests run jobs on the spot): the rest is done.
    assert reacceptance.recover() == 1
    sweep.refresh_from_db()
    assert sweep.status == SweepStatus.DONE and sweep.changed == 5
    assert all(status(c, contoso) == AgreementStatus.DUE for c in customers)


def test_turning_the_requirement_off_lifts_due(sam, acme, contoso, template_cz):
    f.attest(acme, sam, date_agreed=TODAY - datetime.timedelta(days=30))
    version = publish_v2(template_cz)
    assert status(acme, contoso) == AgreementStatus.DUE
    version.requires_reacceptance = False
    version.reacceptance_deadline = None
    version.save()
    reacceptance.schedule(version)
    assert status(acme, contoso) == AgreementStatus.ATTESTED


def test_the_deadline_defaults_to_ninety_days_after_publication(template_cz):
    version = f.AgreementTemplateFactory.build(
        version_rank=template_cz.version_rank + 1, published_on=TODAY, requires_reacceptance=True
    )
    version.full_clean()
    assert version.reacceptance_deadline == TODAY + datetime.timedelta(days=90)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reacceptance_deadline": TODAY}, "reacceptance_deadline"),
        ({"reacceptance_cutoff": TODAY + datetime.timedelta(days=200)}, "reacceptance_cutoff"),
        (
            {"requires_reacceptance": False, "reacceptance_deadline": TODAY},
            "reacceptance_deadline",
        ),
        ({"requires_reacceptance": False, "reacceptance_cutoff": TODAY}, "reacceptance_cutoff"),
    ],
)
def test_bad_reacceptance_settings_are_refused(template_cz, changes, field):
    values = {"requires_reacceptance": True, **changes}
    version = f.AgreementTemplateFactory.build(
        version_rank=template_cz.version_rank + 1, published_on=TODAY, **values
    )
    with pytest.raises(ValidationError) as error:
        version.full_clean()
    assert field in error.value.message_dict


def test_a_bulk_attestation_of_the_old_version_leaves_the_customer_due(
    sam, acme, contoso, template_cz
):
    from agreements.models import Channel
    from agreements.services import Attestation, Contact, record_acceptances

    f.attest(acme, sam, date_agreed=TODAY - datetime.timedelta(days=30))
    publish_v2(template_cz, published_on=TODAY - datetime.timedelta(days=3))
    other = f.CustomerFactory()
    f.RelationshipFactory(partner=contoso, customer=other)
    contact = Contact("Petr", "Novák", "petr@example.cz")
    record_acceptances(
        [
            Attestation(acme, contact, TODAY - datetime.timedelta(days=20), template=template_cz),
            Attestation(other, contact, TODAY),
        ],
        partner=contoso,
        recorded_by=sam,
        channel=Channel.BULK,
    )
    assert status(acme, contoso) == AgreementStatus.DUE
    assert status(other, contoso) == AgreementStatus.ATTESTED
