"""An invitation asks the customer to accept the agreement for its country: without a published
document there is nothing to accept, so none is issued, and an older one offers no Accept."""

import pytest

from agreements.models import Acceptance, AgreementDocument
from agreements.selectors import NoAgreementDocument
from customers.models import Customer, Relationship, RelationshipStatus
from invitations import services
from invitations.models import Invitation, InvitationKind, InvitationStatus
from tests import factories as f
from tests.customers.conftest import new_customer_data

REFUSAL = "No Microsoft Customer Agreement is published for France yet"


@pytest.fixture
def pierre(contoso, template_cz):
    """A Contoso customer in France, where no agreement document is published."""
    customer = f.CustomerFactory(
        company_name="Pierre SARL", domain="pierre.onmicrosoft.com", country="FR", language="en"
    )
    f.RelationshipFactory(partner=contoso, customer=customer)
    return customer


def test_the_service_refuses_and_creates_nothing(sam, pierre):
    with pytest.raises(NoAgreementDocument) as caught:
        services.create_invitation(
            partner=sam.partner,
            customer=pierre,
            kind=InvitationKind.EXISTING_CUSTOMER,
            created_by=sam,
        )
    assert caught.value.code == "no_document"
    assert REFUSAL in caught.value.messages[0]
    assert "Pierre SARL" in caught.value.messages[0]
    assert not Invitation.objects.exists()


def test_invite_from_account_info_is_refused_with_a_message(client, sam, pierre):
    client.force_login(sam)
    response = client.post(
        f"/invitations/customers/{pierre.tenant_id}/", {"kind": "existing_customer"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/customers/{pierre.tenant_id}/"
    assert REFUSAL in response.text
    assert not Invitation.objects.exists()


def test_a_refused_invitation_leaves_the_open_one_alone(client, sam, pierre):
    # Sent while a French document was published; withdrawn since.
    older = f.InvitationFactory(partner=sam.partner, customer=pierre, created_by=sam)
    client.force_login(sam)
    client.post(f"/invitations/customers/{pierre.tenant_id}/", {"kind": "existing_customer"})
    older.refresh_from_db()
    assert older.status == InvitationStatus.PENDING
    assert Invitation.objects.count() == 1


def test_the_request_page_refuses_an_existing_customer(client, sam, pierre, contoso):
    Relationship.objects.filter(partner=contoso, customer=pierre).update(
        status=RelationshipStatus.PENDING, activated_at=None
    )
    client.force_login(sam)
    response = client.post(
        "/invitations/request/", {"which": "existing", "existing-domain": pierre.domain}
    )
    assert response.status_code == 400
    assert REFUSAL in response.text
    assert not Invitation.objects.exists()


def test_the_request_page_refuses_a_new_customer_and_creates_no_tenant(client, sam, template_cz):
    client.force_login(sam)
    response = client.post(
        "/invitations/request/",
        {
            "which": "new",
            "new-company_name": "Fromagerie SAS",
            "new-domain": "fromagerie",
            "new-country": "FR",
            "new-address_line1": "1 rue de Rivoli",
            "new-city": "Paris",
            "new-postal_code": "75001",
            "new-language": "en",
            "new-contact_first_name": "Claire",
            "new-contact_last_name": "Martin",
            "new-contact_email": "claire@fromagerie.example",
        },
    )
    assert response.status_code == 400
    # Refused on the country field itself, before any tenant is made (customers.forms).
    assert "No Microsoft Customer Agreement is published for this country yet" in response.text
    assert not Customer.objects.filter(domain="fromagerie.onmicrosoft.com").exists()
    assert not Invitation.objects.exists()


def test_the_new_customer_flow_refuses_the_admin_center_option(client, sam, template_cz):
    client.force_login(sam)
    started = client.post(
        "/customers/new/",
        new_customer_data(
            agreement="invite",
            date_agreed=None,
            country="FR",
            city="Paris",
            postal_code="75001",
            language="en",
        ),
    )
    # The form may already refuse the country; otherwise creating it does.
    response = client.post(started["Location"]) if started.status_code == 302 else started
    assert response.status_code == 400
    assert "No Microsoft Customer Agreement is published" in response.text
    assert not Customer.objects.filter(domain="wingtip.onmicrosoft.com").exists()
    assert not Invitation.objects.exists()


def test_resend_is_refused_once_the_document_is_withdrawn(client, sam, acme_invitation):
    old, _path, _token = acme_invitation
    AgreementDocument.objects.all().delete()
    client.force_login(sam)
    response = client.post(f"/invitations/{old.public_id}/resend/")
    assert response.status_code == 409
    assert "No Microsoft Customer Agreement is published for Czechia yet" in response.text
    old.refresh_from_db()
    assert old.status == InvitationStatus.PENDING
    assert old.replaced_by is None
    assert Invitation.objects.count() == 1


def test_d2_may_still_accept_the_relationship_without_a_document(
    client, invite, acme_admin, acme, contoso, litware, order_for
):
    """D2 asks for no agreement, so a missing document doesn't stand in its way."""
    Relationship.objects.filter(partner=contoso, customer=acme).update(
        status=RelationshipStatus.PENDING, activated_at=None
    )
    order_for(acme, litware)
    invitation, path, _token = invite(acme, kind=InvitationKind.RESELLER_RELATIONSHIP)
    AgreementDocument.objects.all().delete()
    client.force_login(acme_admin)
    page = client.get(path)
    assert "accept_relationship" in page.text
    assert "accept_agreement" not in page.text
    response = client.post(path + "accept/", {"accept_relationship": "on"})
    assert response.status_code == 302
    relationship = Relationship.objects.get(partner=contoso, customer=acme)
    assert relationship.status == RelationshipStatus.ACTIVE
    assert not Acceptance.objects.exists()
