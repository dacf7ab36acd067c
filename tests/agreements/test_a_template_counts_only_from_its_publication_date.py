"""A version counts only from its publication date in the portal's time zone: before it, it is
not the latest, not offered, not recorded and not served; operators may schedule one ahead."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import (
    Acceptance,
    AcceptanceMethod,
    AgreementDocument,
    AgreementTemplate,
    Channel,
)
from agreements.selectors import NoAgreementDocument, document_for, unpublished_country_problem
from agreements.services import Contact, record_acceptance
from tests.customers.conftest import attestation_data
from tests.versions import EVE_OF_V3, V2_PUBLISHED, V3_DAY, V3_PUBLISHED, publish_after, text_of


@pytest.fixture
def versions(template_cz):
    """v1 (template_cz, 2020), v2 (published 2026-09-01), v3 (scheduled for 2027-01-01)."""
    v2 = publish_after(template_cz, V2_PUBLISHED)
    v3 = publish_after(v2, V3_PUBLISHED)
    return template_cz, v2, v3


def test_before_its_date_a_scheduled_version_is_not_the_latest(time_machine, acme, versions):
    _v1, v2, v3 = versions
    time_machine.move_to(EVE_OF_V3, tick=False)
    assert AgreementDocument.objects.latest_for("CZ").template == v2
    assert document_for(acme).template == v2
    assert v3 not in AgreementTemplate.objects.published()


def test_from_its_date_in_prague_it_is_the_latest(time_machine, acme, versions):
    _v1, _v2, v3 = versions
    # 00:30 in Prague on 1 January is still 31 December in UTC.
    time_machine.move_to(V3_DAY, tick=False)
    assert AgreementDocument.objects.latest_for("CZ").template == v3
    assert document_for(acme).template == v3


def test_the_version_in_force_on_a_date_is_the_latest_published_by_then(versions):
    v1, v2, v3 = versions
    latest_for = AgreementDocument.objects.latest_for
    assert latest_for("CZ", as_of=V2_PUBLISHED - datetime.timedelta(days=1)).template == v1
    assert latest_for("CZ", as_of=V2_PUBLISHED).template == v2
    assert latest_for("CZ", as_of=V3_PUBLISHED).template == v3
    assert latest_for("CZ", as_of=datetime.date(2019, 12, 31)) is None


def test_a_scheduled_template_has_no_document_yet(time_machine, acme, versions):
    _v1, _v2, v3 = versions
    time_machine.move_to(EVE_OF_V3, tick=False)
    with pytest.raises(NoAgreementDocument):
        document_for(acme, v3)


def test_the_service_refuses_to_record_a_scheduled_version(time_machine, acme, sam, versions):
    _v1, _v2, v3 = versions
    time_machine.move_to(EVE_OF_V3, tick=False)
    with pytest.raises(NoAgreementDocument):
        record_acceptance(
            customer=acme,
            partner=sam.partner,
            recorded_by=sam,
            method=AcceptanceMethod.PARTNER_ATTESTATION,
            channel=Channel.BULK,
            contact=Contact("Eva", "Dvořáková", "eva@acme.example"),
            date_agreed=datetime.date(2026, 12, 30),
            template=v3,
        )
    assert not Acceptance.objects.exists()


def test_a_country_only_a_scheduled_version_covers_has_nothing_published_yet(
    time_machine, template_cz
):
    publish_after(template_cz, V3_PUBLISHED, countries=("DE",))
    time_machine.move_to(EVE_OF_V3, tick=False)
    assert unpublished_country_problem("DE") is not None
    time_machine.move_to(V3_DAY, tick=False)
    assert unpublished_country_problem("DE") is None


# --- the web pages ------------------------------------------------------------------------


def test_web_attestation_records_v2_before_v3s_date_and_v3_from_it(
    time_machine, client, sam, acme, versions
):
    _v1, v2, v3 = versions
    url = reverse("customers:attest", args=[acme.tenant_id])
    time_machine.move_to(EVE_OF_V3, tick=False)
    # Signed in after each jump in time: a session left idle for hours has ended.
    client.force_login(sam)
    page = client.get(url)
    assert f"This records acceptance of version {v2.version_rank} " in page.text
    response = client.post(url, attestation_data(date_agreed="2026-12-30"))
    assert response.status_code == 302
    assert Acceptance.objects.get().template == v2

    time_machine.move_to(V3_DAY, tick=False)
    client.force_login(sam)
    assert f"This records acceptance of version {v3.version_rank} " in client.get(url).text
    response = client.post(url, attestation_data(first_name="Eva Marie", date_agreed="2027-01-01"))
    assert response.status_code == 302
    assert Acceptance.objects.latest().template == v3


def test_account_info_names_v2_as_the_latest_until_v3s_date(
    time_machine, client, hana, acme, versions
):
    _v1, v2, v3 = versions
    url = reverse("customers:detail", args=[acme.tenant_id])
    time_machine.move_to(EVE_OF_V3, tick=False)
    client.force_login(hana)
    assert f"is version {v2.version_rank} (cs-CZ)" in client.get(url).text
    time_machine.move_to(V3_DAY, tick=False)
    client.force_login(hana)
    assert f"is version {v3.version_rank} (cs-CZ)" in client.get(url).text


def test_the_templates_page_and_the_download_serve_v2_until_v3s_date(
    time_machine, client, hana, versions
):
    _v1, v2, v3 = versions
    time_machine.move_to(EVE_OF_V3, tick=False)
    client.force_login(hana)
    page = client.get(reverse("agreements:templates"), {"country": "CZ"})
    assert f"Latest version: {v2.version_rank} (cs-CZ)" in page.text
    download = client.get(reverse("agreements:download", args=["CZ"]))
    assert b"".join(download.streaming_content).decode().strip() == text_of(v2)

    time_machine.move_to(V3_DAY, tick=False)
    client.force_login(hana)
    page = client.get(reverse("agreements:templates"), {"country": "CZ"})
    assert f"Latest version: {v3.version_rank} (cs-CZ)" in page.text
    download = client.get(reverse("agreements:download", args=["CZ"]))
    assert b"".join(download.streaming_content).decode().strip() == text_of(v3)


def test_the_download_of_a_country_only_a_scheduled_version_covers_is_not_found(
    time_machine, client, hana, template_cz
):
    publish_after(template_cz, V3_PUBLISHED, countries=("DE",))
    time_machine.move_to(EVE_OF_V3, tick=False)
    client.force_login(hana)
    response = client.get(reverse("agreements:download", args=["DE"]))
    assert response.status_code == 404
    assert "No Microsoft Customer Agreement is published for Germany." in response.text


# --- the operator schedules a version in the admin -----------------------------------------


def add_template(client, rank: int, published_on: str):
    return client.post(
        reverse("admin:agreements_agreementtemplate_add"),
        {
            "agreement_type": "MicrosoftCustomerAgreement",
            "version_rank": rank,
            "title": "Microsoft Customer Agreement",
            "published_on": published_on,
            "documents-TOTAL_FORMS": "1",
            "documents-INITIAL_FORMS": "0",
            "documents-MIN_NUM_FORMS": "0",
            "documents-MAX_NUM_FORMS": "1000",
            "documents-0-country": "CZ",
            "documents-0-language": "cs-CZ",
            "documents-0-content_type": "text/plain; charset=utf-8",
            "documents-0-file": SimpleUploadedFile("mca.txt", b"Verze 3.", "text/plain"),
        },
    )


def test_an_operator_schedules_a_version_and_the_admin_says_so(
    time_machine, client, operator, versions
):
    _v1, v2, _v3 = versions
    time_machine.move_to(EVE_OF_V3, tick=False)
    client.force_login(operator)
    response = add_template(client, v2.version_rank + 10, "2027-03-01")
    assert response.status_code == 302, response.content.decode()[:2000]
    scheduled = AgreementTemplate.objects.get(version_rank=v2.version_rank + 10)
    assert AgreementDocument.objects.latest_for("CZ").template == v2

    listing = client.get(reverse("admin:agreements_agreementtemplate_changelist")).text
    assert "Scheduled: counts from March 1, 2027" in listing
    assert "Published" in listing
    detail = client.get(
        reverse("admin:agreements_agreementtemplate_change", args=[scheduled.pk])
    ).text
    assert "Scheduled: counts from March 1, 2027" in detail
    documents = client.get(reverse("admin:agreements_agreementdocument_changelist")).text
    assert "Scheduled: counts from March 1, 2027" in documents


def test_the_add_form_says_a_later_date_schedules_the_version(client, operator, template_cz):
    client.force_login(operator)
    page = client.get(reverse("admin:agreements_agreementtemplate_add"))
    assert "A later date schedules it." in page.text


def test_a_higher_version_cannot_be_published_before_a_lower_one(
    time_machine, client, operator, versions
):
    _v1, v2, v3 = versions
    time_machine.move_to(EVE_OF_V3, tick=False)
    client.force_login(operator)
    response = add_template(client, v2.version_rank + 10, "2026-08-01")
    assert response.status_code == 200
    # It names the newest lower version it would jump ahead of.
    assert (
        f"Version {v3.version_rank} is published on Jan. 1, 2027: a higher version can&#x27;t be "
        "published before a lower one." in response.text
    )
    assert not AgreementTemplate.objects.filter(version_rank=v2.version_rank + 10).exists()
    assert AgreementDocument.objects.count() == 4


def test_an_agent_cannot_reach_the_template_admin(client, alice, template_cz):
    client.force_login(alice)
    response = client.get(reverse("admin:agreements_agreementtemplate_add"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
