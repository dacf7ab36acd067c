"""A1: a new customer with attestation, through the form, the review step and creation."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Acceptance, AcceptanceMethod, Channel
from customers.models import AgreementStatus, Customer, Relationship
from portal.models import User
from tests.customers.conftest import new_customer_data, row_counts

NEW = reverse("customers:new")


def start(client, **overrides) -> str:
    """Posts the form; answers the review page of the draft it made."""
    response = client.post(NEW, new_customer_data(**overrides))
    assert response.status_code == 302, response.text
    assert response["Location"].startswith("/customers/new/review/")
    return response["Location"]


def create(client, **overrides):
    review = start(client, **overrides)
    return client.post(review, REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="pytest-browser/1.0")


@pytest.mark.parametrize("persona", ["alice", "sam"])
def test_admin_and_sales_agents_can_open_the_new_customer_form(request, client, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(NEW)
    assert response.status_code == 200
    assert "Microsoft Customer Agreement" in response.text


def test_the_date_picker_maximum_is_today_in_the_portal_time_zone(client, sam):
    client.force_login(sam)
    response = client.get(NEW)
    assert f'max="{timezone.localdate().isoformat()}"' in response.text


def test_sales_agent_creates_a_customer_with_attestation(client, sam, template_cz):
    client.force_login(sam)
    response = create(client)
    customer = Customer.objects.get(domain="wingtip.onmicrosoft.com")
    assert response.status_code == 302
    assert response["Location"] == reverse("customers:created", args=[customer.tenant_id])
    relationship = Relationship.objects.get(customer=customer)
    assert relationship.partner == sam.partner
    assert relationship.agreement_status == AgreementStatus.ATTESTED
    assert customer.created_by == sam
    admin = User.objects.get(customer=customer)
    assert admin.email == "admin@wingtip.onmicrosoft.com"
    assert admin.must_change_password


def test_the_acceptance_records_template_document_agent_partner_channel_ip_and_agent(
    client, sam, template_cz
):
    client.force_login(sam)
    create(client)
    acceptance = Acceptance.objects.get(customer__domain="wingtip.onmicrosoft.com")
    document = template_cz.documents.get(country="CZ")
    assert acceptance.method == AcceptanceMethod.PARTNER_ATTESTATION
    assert acceptance.template == template_cz
    assert acceptance.document_sha256 == document.sha256
    assert acceptance.recorded_by == sam
    assert acceptance.partner == sam.partner
    assert acceptance.channel == Channel.WEB
    assert acceptance.ip_address == "203.0.113.7"
    assert acceptance.user_agent == "pytest-browser/1.0"
    assert (acceptance.first_name, acceptance.last_name) == ("Petr", "Svoboda")
    assert acceptance.email == "petr@wingtip.example"
    assert acceptance.date_agreed == timezone.localdate() - datetime.timedelta(days=2)


def test_the_acceptance_records_the_latest_template_version(client, sam, template_cz):
    from tests import factories as f

    newer = f.AgreementDocumentFactory(country="CZ", language="cs-CZ").template
    client.force_login(sam)
    create(client)
    acceptance = Acceptance.objects.get(customer__domain="wingtip.onmicrosoft.com")
    assert acceptance.template == newer
    assert newer.version_rank > template_cz.version_rank


def test_ip_comes_from_the_trusted_proxy_setting_not_a_raw_header(
    client, sam, template_cz, settings
):
    settings.TRUSTED_PROXY_COUNT = 0
    client.force_login(sam)
    client.post(start(client), REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="192.0.2.99")
    acceptance = Acceptance.objects.get(customer__domain="wingtip.onmicrosoft.com")
    assert acceptance.ip_address == "198.51.100.1"


def test_update_records_someone_other_than_the_primary_contact(client, alice, template_cz):
    client.force_login(alice)
    create(
        client,
        accepted_by_other="on",
        accepted_first_name="Marie",
        accepted_last_name="Horáková",
        accepted_email="marie@wingtip.example",
        accepted_phone="+420603000111",
    )
    acceptance = Acceptance.objects.get(customer__domain="wingtip.onmicrosoft.com")
    assert (acceptance.first_name, acceptance.last_name) == ("Marie", "Horáková")
    assert acceptance.email == "marie@wingtip.example"
    assert str(acceptance.phone) == "+420603000111"


def test_accepted_by_fields_are_ignored_without_update(client, alice, template_cz):
    client.force_login(alice)
    create(client, accepted_first_name="Marie", accepted_last_name="Horáková")
    acceptance = Acceptance.objects.get(customer__domain="wingtip.onmicrosoft.com")
    assert acceptance.first_name == "Petr"


def test_the_review_page_shows_everything_before_anything_is_created(client, sam, template_cz):
    client.force_login(sam)
    review = start(client)
    before = row_counts()
    response = client.get(review)
    assert response.status_code == 200
    assert "Wingtip Toys s.r.o." in response.text
    assert "wingtip.onmicrosoft.com" in response.text
    assert "Petr Svoboda" in response.text
    assert "Czechia" in response.text
    assert ">Czech<" in response.text
    assert "Create customer" in response.text
    assert row_counts() == before


def test_back_from_review_keeps_what_was_typed(client, sam, template_cz):
    client.force_login(sam)
    review = start(client)
    draft_id = review.rstrip("/").rsplit("/", 1)[1]
    assert f'href="{NEW}?draft={draft_id}"' in client.get(review).text
    response = client.get(NEW, {"draft": draft_id})
    assert f'name="draft" value="{draft_id}"' in response.text
    assert 'value="Wingtip Toys s.r.o."' in response.text
    assert 'value="wingtip"' in response.text


def test_review_without_a_draft_goes_back_to_the_form(client, sam):
    client.force_login(sam)
    response = client.get(
        reverse("customers:review", args=["00000000-0000-4000-8000-000000000000"])
    )
    assert response.status_code == 302
    assert response["Location"] == NEW


def test_a_second_create_from_the_same_draft_creates_nothing_more(client, sam, template_cz):
    client.force_login(sam)
    review = start(client)
    client.post(review)
    before = row_counts()
    response = client.post(review)
    assert response.status_code == 302
    assert response["Location"] == NEW
    assert row_counts() == before


def test_domain_taken_between_review_and_create_is_refused_and_nothing_saved(
    client, sam, template_cz
):
    from tests import factories as f

    client.force_login(sam)
    review = start(client)
    f.CustomerFactory(domain="wingtip.onmicrosoft.com")
    before = row_counts()
    response = client.post(review)
    assert response.status_code == 400
    assert "already taken" in response.text
    assert row_counts() == before


def test_customer_will_accept_in_the_admin_center_creates_an_invitation_and_no_acceptance(
    client, sam, template_cz
):
    from invitations.models import Invitation, InvitationKind

    client.force_login(sam)
    response = create(client, agreement="invite", date_agreed=None)
    customer = Customer.objects.get(domain="wingtip.onmicrosoft.com")
    assert response.status_code == 302
    assert not Acceptance.objects.filter(customer=customer).exists()
    invitation = Invitation.objects.get(customer=customer)
    assert invitation.kind == InvitationKind.NEW_CUSTOMER
    assert invitation.partner == sam.partner
    assert invitation.created_by == sam
    assert Relationship.objects.get(customer=customer).agreement_status == AgreementStatus.INVITED


def test_the_invitation_link_reaches_the_confirmation_page_once(client, sam, template_cz):
    client.force_login(sam)
    response = create(client, agreement="invite", date_agreed=None)
    first = client.get(response["Location"])
    link = first.context["invitation_link"]
    assert link and "/admin-center/" in link
    assert client.get(response["Location"]).context["invitation_link"] is None


def test_reseller_may_only_choose_the_admin_center(client, nora, template_cz):
    client.force_login(nora)
    response = client.post(NEW, new_customer_data())
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert not Customer.objects.filter(domain="wingtip.onmicrosoft.com").exists()


def test_reseller_creates_a_customer_that_will_accept_in_the_admin_center(
    client, nora, template_cz
):
    client.force_login(nora)
    create(client, agreement="invite", date_agreed=None)
    relationship = Relationship.objects.get(customer__domain="wingtip.onmicrosoft.com")
    assert relationship.partner == nora.partner
