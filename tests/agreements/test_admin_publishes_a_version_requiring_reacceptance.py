"""The operator publishes a version requiring re-acceptance in the admin: the deadline defaults
to 90 days after publication, bad settings are refused with nothing saved, and saving it
refreshes the statuses it changes."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import AgreementTemplate, ReacceptanceSweep
from customers.models import AgreementStatus, Relationship
from tests import factories as f

pytestmark = pytest.mark.django_db


def add_template(client, rank: int, **fields):
    return client.post(
        reverse("admin:agreements_agreementtemplate_add"),
        {
            "agreement_type": "MicrosoftCustomerAgreement",
            "version_rank": rank,
            "title": "Microsoft Customer Agreement",
            "published_on": datetime.date.today().isoformat(),
            **fields,
            "documents-TOTAL_FORMS": "1",
            "documents-INITIAL_FORMS": "0",
            "documents-MIN_NUM_FORMS": "0",
            "documents-MAX_NUM_FORMS": "1000",
            "documents-0-country": "CZ",
            "documents-0-language": "cs-CZ",
            "documents-0-content_type": "text/plain; charset=utf-8",
            "documents-0-file": SimpleUploadedFile("mca.txt", b"Verze 2.", "text/plain"),
        },
    )


def test_a_new_requiring_version_gets_the_default_deadline_and_flips_the_old_records(
    client, operator, sam, acme, template_cz
):
    f.attest(acme, sam, date_agreed=datetime.date.today() - datetime.timedelta(days=3))
    client.force_login(operator)
    response = add_template(client, template_cz.version_rank + 1, requires_reacceptance="on")
    assert response.status_code == 302, response.content.decode()[:3000]
    version = AgreementTemplate.objects.get(version_rank=template_cz.version_rank + 1)
    assert version.reacceptance_deadline == version.published_on + datetime.timedelta(days=90)
    assert ReacceptanceSweep.objects.filter(template=version).exists()
    assert Relationship.objects.get(customer=acme).agreement_status == AgreementStatus.DUE


def test_a_deadline_before_publication_is_refused_and_nothing_saved(
    client, operator, template_cz
):
    client.force_login(operator)
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    response = add_template(
        client,
        template_cz.version_rank + 1,
        requires_reacceptance="on",
        reacceptance_deadline=yesterday.isoformat(),
    )
    assert response.status_code == 200
    assert "The deadline must be after the publication date" in response.content.decode()
    assert not AgreementTemplate.objects.filter(version_rank=template_cz.version_rank + 1).exists()
    assert not ReacceptanceSweep.objects.exists()


def test_a_cutoff_without_the_requirement_is_refused(client, operator, template_cz):
    client.force_login(operator)
    response = add_template(
        client,
        template_cz.version_rank + 1,
        reacceptance_cutoff=datetime.date.today().isoformat(),
    )
    assert response.status_code == 200
    assert "A cut-off applies only to a version that requires re-acceptance." in (
        response.content.decode()
    )
    assert not AgreementTemplate.objects.filter(version_rank=template_cz.version_rank + 1).exists()
