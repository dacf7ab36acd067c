"""The API lists, serves and records a version only from its publication date (Prague)."""

import pytest
from django.core import signing
from django.urls import reverse

from agreements.api import DOWNLOAD_SALT
from agreements.models import Acceptance
from tests.api.conftest import assert_error
from tests.api.payloads import attestation
from tests.versions import EVE_OF_V3, V2_PUBLISHED, V3_DAY, V3_PUBLISHED, publish_after, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions(template_cz):
    v2 = publish_after(template_cz, V2_PUBLISHED)
    v3 = publish_after(v2, V3_PUBLISHED)
    return template_cz, v2, v3


def listed(client) -> list[str]:
    response = client.get("/v1/agreements")
    assert response.status_code == 200
    return [item["templateId"] for item in response.json()["items"]]


def test_the_list_leaves_out_a_scheduled_version_until_its_date(
    time_machine, api_as, hana, versions
):
    v1, v2, v3 = versions
    time_machine.move_to(EVE_OF_V3, tick=False)
    assert listed(api_as(hana)) == [str(v2.template_id), str(v1.template_id)]
    time_machine.move_to(V3_DAY, tick=False)
    assert listed(api_as(hana)) == [str(v.template_id) for v in (v3, v2, v1)]


def test_a_scheduled_versions_document_is_not_found_like_an_unknown_template(
    time_machine, api_as, hana, versions
):
    _v1, _v2, v3 = versions
    url = f"/v1/agreementtemplates/{v3.template_id}/document?country=CZ"
    time_machine.move_to(EVE_OF_V3, tick=False)
    body = assert_error(api_as(hana).get(url), 404, 1000)
    assert body["description"] == "No agreement template with this templateId."

    time_machine.move_to(V3_DAY, tick=False)
    response = api_as(hana).get(url)
    assert response.status_code == 200
    download = api_as(hana).get(response.json()["downloadUri"])
    assert b"".join(download.streaming_content).decode().strip() == text_of(v3)


def test_a_signed_link_to_a_scheduled_document_serves_nothing_before_its_date(
    time_machine, anonymous_api, versions
):
    _v1, _v2, v3 = versions
    time_machine.move_to(EVE_OF_V3, tick=False)
    document = v3.documents.get()
    signature = signing.TimestampSigner(salt=DOWNLOAD_SALT).sign(str(document.pk))
    response = anonymous_api.get(reverse("api:agreement-download", args=[signature]))
    assert_error(response, 404, 1000)


def test_attesting_against_a_scheduled_version_is_refused(
    time_machine, api_as, sam, acme, versions
):
    _v1, _v2, v3 = versions
    time_machine.move_to(EVE_OF_V3, tick=False)
    response = api_as(sam).post_json(
        f"/v1/customers/{acme.tenant_id}/agreements",
        attestation(v3, dateAgreed="2026-12-30"),
    )
    body = assert_error(response, 400, 800002)
    assert (
        "templateId: No published MicrosoftCustomerAgreement template with this id."
        in body["description"]
    )
    assert not Acceptance.objects.exists()


def test_from_its_date_the_new_version_is_recorded(time_machine, api_as, sam, acme, versions):
    _v1, _v2, v3 = versions
    time_machine.move_to(V3_DAY, tick=False)
    response = api_as(sam).post_json(
        f"/v1/customers/{acme.tenant_id}/agreements",
        attestation(v3, dateAgreed="2027-01-01"),
    )
    assert response.status_code == 201, response.content
    assert Acceptance.objects.get().template == v3


def test_the_list_needs_a_token(anonymous_api, versions):
    assert_error(anonymous_api.get("/v1/agreements"), 401)
