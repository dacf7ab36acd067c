"""A2: Account info → Microsoft Customer Agreement → Update → Save and continue."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Acceptance, AcceptanceMethod, Channel
from customers.models import AgreementStatus, Relationship
from tests import factories as f
from tests.customers.conftest import attestation_data


def url(customer):
    return reverse("customers:attest", args=[customer.tenant_id])


@pytest.mark.parametrize("persona", ["alice", "sam"])
def test_admin_and_sales_agents_can_attest(request, client, acme, persona):
    agent = request.getfixturevalue(persona)
    client.force_login(agent)
    response = client.post(
        url(acme), attestation_data(), REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Firefox/140"
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("customers:detail", args=[acme.tenant_id])
    acceptance = Acceptance.objects.get(customer=acme)
    assert acceptance.method == AcceptanceMethod.PARTNER_ATTESTATION
    assert acceptance.channel == Channel.WEB
    assert acceptance.recorded_by == agent
    assert acceptance.partner == agent.partner
    assert (acceptance.first_name, acceptance.email) == ("Eva", "eva@acme.example")
    assert acceptance.ip_address == "203.0.113.9"
    assert acceptance.user_agent == "Firefox/140"
    assert Relationship.objects.get(customer=acme).agreement_status == AgreementStatus.ATTESTED


def test_the_form_starts_from_the_primary_contact(client, sam, acme):
    client.force_login(sam)
    response = client.get(url(acme))
    assert response.status_code == 200
    assert f'value="{acme.contact_email}"' in response.text
    assert f'max="{timezone.localdate().isoformat()}"' in response.text
    assert "Save and continue" in response.text


def test_the_form_starts_from_the_latest_record_when_there_is_one(client, sam, acme):
    f.attest(acme, sam, first_name="Eva", email="eva@acme.example")
    client.force_login(sam)
    response = client.get(url(acme))
    assert 'value="eva@acme.example"' in response.text


def test_every_save_is_a_new_record_and_history_is_kept(client, sam, acme):
    client.force_login(sam)
    client.post(url(acme), attestation_data())
    client.post(url(acme), attestation_data(first_name="Eva Marie"))
    assert Acceptance.objects.filter(customer=acme).count() == 2


def test_the_same_contact_and_date_as_the_latest_record_is_refused(client, sam, acme):
    client.force_login(sam)
    client.post(url(acme), attestation_data())
    response = client.post(url(acme), attestation_data(email="EVA@acme.example "))
    assert response.status_code == 400
    assert "already on record with the same person and date" in response.text
    assert Acceptance.objects.filter(customer=acme).count() == 1


def test_a_future_date_is_refused_with_a_message_that_says_why(client, sam, acme):
    client.force_login(sam)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(url(acme), attestation_data(date_agreed=tomorrow.isoformat()))
    assert response.status_code == 400
    assert "can&#x27;t be in the future" in response.text
    assert not Acceptance.objects.exists()


def test_tomorrow_in_utc_but_today_in_prague_is_accepted(client, sam, acme, time_machine):
    # 23:30 UTC on 31 Dec is already 1 Jan in Prague: 1 Jan is "today" for R1.
    time_machine.move_to(datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC))
    client.force_login(sam)
    response = client.post(url(acme), attestation_data(date_agreed="2027-01-01"))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "", "This field is required."),
        ("last_name", "", "This field is required."),
        ("email", "", "This field is required."),
        ("email", "eva@", "Enter a valid email address."),
        ("phone", "777", "Enter a valid phone number"),
        ("date_agreed", "", "This field is required."),
        ("date_agreed", "2026-13-45", "Enter a valid date"),
    ],
)
def test_bad_input_is_a_field_error_and_nothing_is_saved(client, sam, acme, field, value, message):
    client.force_login(sam)
    response = client.post(url(acme), attestation_data(**{field: value}))
    assert response.status_code == 400
    assert message in response.text
    assert not Acceptance.objects.exists()


def test_the_phone_number_is_optional_and_kept_when_given(client, sam, acme):
    client.force_login(sam)
    client.post(url(acme), attestation_data(phone="+420 601 222 333"))
    assert str(Acceptance.objects.get().phone) == "+420601222333"


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_helpdesk_and_billing_get_403(request, client, acme, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(acme)).status_code == 403
    assert client.post(url(acme), attestation_data()).status_code == 403
    assert not Acceptance.objects.exists()


def test_another_partners_customer_is_not_found(client, alice, globex):
    client.force_login(alice)
    assert client.get(url(globex)).status_code == 404
    assert client.post(url(globex), attestation_data()).status_code == 404
    assert not Acceptance.objects.exists()


def test_reseller_never_gets_the_form_and_is_told_who_attests(client, nora, initech):
    client.force_login(nora)
    response = client.get(url(initech))
    assert response.status_code == 403
    assert 'name="first_name"' not in response.text
    assert "Your indirect provider, Fabrikam Distribution, attests for you." in response.text
    assert reverse("customers:request_attestation", args=[initech.tenant_id]) in response.text


def test_reseller_cannot_post_an_attestation(client, nora, initech):
    client.force_login(nora)
    assert client.post(url(initech), attestation_data()).status_code == 403
    assert not Acceptance.objects.exists()


def test_provider_attests_for_its_resellers_customer(client, frank, initech):
    client.force_login(frank)
    response = client.post(url(initech), attestation_data())
    assert response.status_code == 302
    acceptance = Acceptance.objects.get(customer=initech)
    assert acceptance.partner == frank.partner
    relationship = Relationship.objects.get(customer=initech)
    assert relationship.agreement_status == AgreementStatus.ATTESTED


def test_a_country_without_a_document_is_refused_clearly(client, sam, contoso):
    customer = f.CustomerFactory(country="FR")
    f.RelationshipFactory(partner=contoso, customer=customer)
    client.force_login(sam)
    response = client.post(url(customer), attestation_data())
    assert response.status_code == 400
    assert "No agreement document is published for France." in response.text
    assert not Acceptance.objects.exists()
