"""C: the customer admin accepts; one transaction records the evidence and uses the invitation."""

import pytest
from django.utils import timezone

from agreements.models import Acceptance, AcceptanceMethod, Channel
from customers.models import AgreementStatus, Relationship, RelationshipOrigin, RelationshipStatus
from invitations.models import InvitationKind, InvitationStatus
from portal.models import PartnerKind
from tests.admin_center.accepting import press_accept


def accept(client, path, **data):
    return press_accept(
        client,
        path,
        data,
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="pytest-customer/1.0",
    )


def test_the_customer_admin_accepts_the_agreement(client, acme_invitation, acme_admin, contoso):
    invitation, path, _token = acme_invitation
    client.force_login(acme_admin)
    response = accept(client, path, accept_agreement="on")
    assert response.status_code == 302
    assert response["Location"] == "/admin-center/partners/"
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert invitation.accepted_by == acme_admin
    relationship = Relationship.objects.get(customer=invitation.customer, partner=contoso)
    assert relationship.agreement_status == AgreementStatus.ACCEPTED


def test_the_evidence_records_method_channel_person_ip_agent_and_document(
    client, acme_invitation, acme_admin, contoso, template_cz
):
    invitation, path, _token = acme_invitation
    client.force_login(acme_admin)
    accept(client, path, accept_agreement="on")
    acceptance = Acceptance.objects.get()
    document = template_cz.documents.get(country="CZ")
    assert acceptance.method == AcceptanceMethod.DIRECT_ACCEPTANCE
    assert acceptance.channel == Channel.INVITATION
    assert acceptance.recorded_by == acme_admin
    assert acceptance.partner == contoso
    assert acceptance.email == acme_admin.email
    assert (acceptance.first_name, acceptance.last_name) == ("Jana", "Nováková")
    assert acceptance.date_agreed == timezone.localdate()
    assert acceptance.ip_address == "203.0.113.9"
    assert acceptance.user_agent == "pytest-customer/1.0"
    assert acceptance.document_sha256 == document.sha256
    assert acceptance.template == template_cz


def test_an_unticked_box_is_refused_and_nothing_is_saved(client, acme_invitation, acme_admin):
    invitation, path, _token = acme_invitation
    client.force_login(acme_admin)
    response = accept(client, path)
    assert response.status_code == 400
    assert "Tick this box to accept." in response.text
    assert not Acceptance.objects.exists()
    invitation.refresh_from_db()
    assert invitation.status != InvitationStatus.ACCEPTED


def test_a_reseller_relationship_request_activates_the_relationship(
    client, invite, acme, acme_admin, contoso
):
    Relationship.objects.filter(customer=acme).update(
        status=RelationshipStatus.PENDING, activated_at=None
    )
    _invitation, path, _token = invite(acme, InvitationKind.RESELLER_RELATIONSHIP)
    client.force_login(acme_admin)
    response = accept(client, path, accept_agreement="on", accept_relationship="on")
    assert response.status_code == 302
    relationship = Relationship.objects.get(customer=acme, partner=contoso)
    assert relationship.status == RelationshipStatus.ACTIVE
    assert relationship.origin == RelationshipOrigin.ACCEPTED_INVITATION
    assert relationship.activated_at is not None
    assert Acceptance.objects.filter(customer=acme).count() == 1


def test_a_relationship_request_needs_both_boxes(client, invite, acme, acme_admin):
    Relationship.objects.filter(customer=acme).update(status=RelationshipStatus.PENDING)
    _invitation, path, _token = invite(acme, InvitationKind.RESELLER_RELATIONSHIP)
    client.force_login(acme_admin)
    response = accept(client, path, accept_agreement="on")
    assert response.status_code == 400
    assert not Acceptance.objects.exists()
    assert Relationship.objects.get(customer=acme).status == RelationshipStatus.PENDING


def test_accepting_a_resellers_invitation_counts_for_the_reseller(
    client, invite, initech, nora, northwind
):
    from tests import factories as f

    admin = f.CustomerAdminFactory(customer=initech, must_change_password=False)
    _invitation, path, _token = invite(initech, agent=nora)
    client.force_login(admin)
    assert accept(client, path, accept_agreement="on").status_code == 302
    acceptance = Acceptance.objects.get()
    assert acceptance.partner == northwind
    assert northwind.kind == PartnerKind.INDIRECT_RESELLER
    assert Relationship.objects.get(customer=initech).agreement_status == AgreementStatus.ACCEPTED


def test_without_a_published_agreement_nothing_is_offered_or_accepted(
    client, invite, acme_admin, acme
):
    from agreements.models import AgreementDocument, AgreementTemplate

    # Invited while a document was published; it was withdrawn since.
    invitation, path, _token = invite(acme)
    AgreementDocument.objects.all().delete()
    AgreementTemplate.objects.all().delete()
    client.force_login(acme_admin)
    page = client.get(path)
    assert page.text.count("No Microsoft Customer Agreement is published for Czechia") == 1
    assert "accept_agreement" not in page.text
    assert ">Accept</button>" not in page.text
    response = accept(client, path, accept_agreement="on")
    assert response.status_code == 409
    assert response.text.count("No Microsoft Customer Agreement is published for Czechia") == 1
    assert "No agreement document is published" not in response.text
    assert "accept_agreement" not in response.text
    assert not Acceptance.objects.exists()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.OPENED
    assert invitation.accepted_at is None


@pytest.mark.parametrize("persona", ["alice", "sam", "operator"])
def test_agents_and_operators_cannot_accept(request, client, persona, acme_invitation):
    _invitation, path, _token = acme_invitation
    client.force_login(request.getfixturevalue(persona))
    assert accept(client, path, accept_agreement="on").status_code == 403
    assert not Acceptance.objects.exists()


def test_a_refusal_from_the_service_is_shown_once(client, acme_invitation, acme_admin, monkeypatch):
    from django.core.exceptions import ValidationError

    from invitations import services

    def refuse(**_kwargs):
        raise ValidationError("Something changed a moment ago.", code="changed")

    monkeypatch.setattr(services, "accept_invitation", refuse)
    _invitation, path, _token = acme_invitation
    client.force_login(acme_admin)
    response = accept(client, path, accept_agreement="on")
    assert response.status_code == 400
    assert response.text.count("Something changed a moment ago.") == 1
    assert not Acceptance.objects.exists()
