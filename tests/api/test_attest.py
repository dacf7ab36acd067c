import datetime

import pytest
from django.utils import timezone

from agreements.models import Acceptance, AcceptanceMethod, Channel
from tests import factories as f
from tests.api.conftest import assert_error
from tests.api.payloads import attestation

pytestmark = pytest.mark.django_db


def url(customer):
    return f"/v1/customers/{customer.tenant_id}/agreements"


@pytest.mark.parametrize("persona", ["alice", "sam"])
def test_admin_and_sales_agents_attest(api_as, persona, request, acme, template_cz):
    agent = request.getfixturevalue(persona)
    response = api_as(agent).post_json(
        url(acme), attestation(template_cz), headers={"User-Agent": "partner-script/1.0"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    record = Acceptance.objects.get()
    assert body["id"] == str(record.public_id)
    assert body["primaryContact"] == {
        "firstName": "Jana",
        "lastName": "Nováková",
        "email": "jana@acme.example",
        "phoneNumber": "+420601123456",
    }
    assert body["templateId"] == str(template_cz.template_id)
    assert body["type"] == "MicrosoftCustomerAgreement"
    assert body["userId"] == str(agent.pk)
    assert body["agreementLink"].startswith("http://127.0.0.1:8000/v1/agreementtemplates/")
    assert (record.method, record.channel, record.recorded_by) == (
        AcceptanceMethod.PARTNER_ATTESTATION,
        Channel.API,
        agent,
    )
    assert record.user_agent == "partner-script/1.0"
    assert record.ip_address == "127.0.0.1"
    acme.relationships.get().refresh_from_db()
    assert acme.relationships.get().agreement_status == "attested"


def test_a_provider_attests_for_its_resellers_customer(
    api_as, frank, fabrikam, initech, template_cz
):
    response = api_as(frank).post_json(url(initech), attestation(template_cz))
    assert response.status_code == 201
    assert Acceptance.objects.get().partner == fabrikam


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_helpdesk_and_billing_cannot_attest(api_as, persona, request, acme, template_cz):
    response = api_as(request.getfixturevalue(persona)).post_json(
        url(acme), attestation(template_cz)
    )
    assert_error(response, 403, 403)
    assert not Acceptance.objects.exists()


def test_an_indirect_reseller_never_attests_and_is_told_its_provider(
    api_as, nora, initech, template_cz
):
    response = api_as(nora).post_json(url(initech), attestation(template_cz))
    body = assert_error(response, 403, 900123)
    assert "Fabrikam Distribution" in body["description"]
    assert not Acceptance.objects.exists()


def test_another_partners_customer_is_404(api_as, alice, globex, template_cz):
    assert_error(api_as(alice).post_json(url(globex), attestation(template_cz)), 404, 60003)
    assert not Acceptance.objects.exists()


def test_a_future_date_is_400_naming_date_agreed(api_as, alice, acme, template_cz):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = api_as(alice).post_json(url(acme), attestation(template_cz, dateAgreed=tomorrow))
    body = assert_error(response, 400, 800002)
    assert "dateAgreed" in body["description"]
    assert not Acceptance.objects.exists()


def test_a_date_time_is_accepted_as_its_date(api_as, alice, acme, template_cz):
    response = api_as(alice).post_json(
        url(acme), attestation(template_cz, dateAgreed="2024-05-01T00:00:00")
    )
    assert response.status_code == 201
    assert response.json()["dateAgreed"] == "2024-05-01"


def test_an_aware_date_time_is_read_in_the_portals_time_zone(api_as, alice, acme, template_cz):
    response = api_as(alice).post_json(
        url(acme), attestation(template_cz, dateAgreed="2024-04-30T23:30:00Z")
    )
    assert response.json()["dateAgreed"] == "2024-05-01"  # Prague is ahead of UTC


def test_today_is_allowed(api_as, alice, acme, template_cz):
    today = timezone.localdate().isoformat()
    response = api_as(alice).post_json(url(acme), attestation(template_cz, dateAgreed=today))
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"templateId": "00000000-0000-0000-0000-000000000000"}, "templateId"),
        ({"templateId": "not-a-uuid"}, "templateId"),
        ({"type": "MicrosoftCloudAgreement"}, "type"),
        ({"primaryContact__firstName": None}, "primaryContact.firstName"),
        ({"primaryContact__lastName": ""}, "primaryContact.lastName"),
        ({"primaryContact__email": None}, "primaryContact.email"),
        ({"primaryContact__email": "jana-at-acme"}, "primaryContact.email"),
        ({"primaryContact__phoneNumber": "call me"}, "primaryContact.phoneNumber"),
        ({"dateAgreed": "yesterday"}, "dateAgreed"),
        ({"dateAgreed": 20240501}, "dateAgreed"),
        ({"primaryContact": None}, "primaryContact"),
    ],
)
def test_bad_input_is_400_with_800002_naming_the_field(
    api_as, alice, acme, template_cz, changes, field
):
    response = api_as(alice).post_json(url(acme), attestation(template_cz, **changes))
    body = assert_error(response, 400, 800002)
    assert field in body["description"]
    assert not Acceptance.objects.exists()


def test_the_phone_number_is_optional(api_as, alice, acme, template_cz):
    body = attestation(template_cz, primaryContact__phoneNumber=None)
    assert api_as(alice).post_json(url(acme), body).status_code == 201


def test_a_template_without_a_document_for_the_customers_country_is_400(
    api_as, alice, acme, template_cz
):
    german_only = f.AgreementDocumentFactory(country="DE", language="de-DE").template
    response = api_as(alice).post_json(url(acme), attestation(german_only))
    body = assert_error(response, 400, 800002)
    assert "templateId" in body["description"]


def test_the_same_contact_and_date_again_is_409_with_600061(api_as, alice, acme, template_cz):
    api = api_as(alice)
    assert api.post_json(url(acme), attestation(template_cz)).status_code == 201
    response = api.post_json(url(acme), attestation(template_cz))
    body = assert_error(response, 409, 600061)
    assert "PartnerConfirmedAgreementAlreadyExists" in body["description"]
    assert Acceptance.objects.count() == 1


def test_a_correction_with_another_date_is_recorded(api_as, alice, acme, template_cz):
    api = api_as(alice)
    api.post_json(url(acme), attestation(template_cz))
    earlier = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    response = api.post_json(url(acme), attestation(template_cz, dateAgreed=earlier))
    assert response.status_code == 201
    assert Acceptance.objects.count() == 2


def test_attesting_needs_a_token(anonymous_api, acme, template_cz):
    assert_error(anonymous_api.post_json(url(acme), attestation(template_cz)), 401)
