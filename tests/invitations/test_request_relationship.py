"""B2: Request a reseller relationship — pick one of the partner's customers or add a new one."""

import pytest

from customers.models import Customer, Relationship, RelationshipStatus
from invitations.models import Invitation, InvitationKind, InvitationStatus
from invitations.services import create_invitation
from portal.models import User

URL = "/invitations/request/"


def new_customer(**overrides):
    data = {
        "which": "new",
        "new-company_name": "Fourth Coffee s.r.o.",
        "new-domain": "fourthcoffee",
        "new-country": "CZ",
        "new-address_line1": "Národní 1",
        "new-city": "Praha",
        "new-postal_code": "110 00",
        "new-language": "cs",
        "new-contact_first_name": "Karel",
        "new-contact_last_name": "Malý",
        "new-contact_email": "karel@fourthcoffee.example",
    }
    data.update(overrides)
    return data


def counts():
    return (
        Customer.objects.count(),
        Relationship.objects.count(),
        User.objects.count(),
        Invitation.objects.count(),
    )


def test_the_customers_page_offers_the_request_to_admin_and_sales_agents(client, sam):
    client.force_login(sam)
    assert 'href="/invitations/request/"' in client.get("/customers/").text


def test_the_customers_page_hides_it_from_helpdesk(client, hana):
    client.force_login(hana)
    assert 'href="/invitations/request/"' not in client.get("/customers/").text


def pending(customer, partner):
    """The customer is the partner's, but has not accepted the reseller relationship yet."""
    Relationship.objects.filter(partner=partner, customer=customer).update(
        status=RelationshipStatus.PENDING, activated_at=None
    )


def test_an_existing_customer_is_picked_by_its_domain(client, sam, acme, contoso):
    pending(acme, contoso)
    client.force_login(sam)
    response = client.post(URL, {"which": "existing", "existing-domain": "ACME"})
    invitation = Invitation.objects.get()
    assert response["Location"] == f"/invitations/{invitation.public_id}/compose/"
    assert invitation.customer == acme
    assert invitation.kind == InvitationKind.RESELLER_RELATIONSHIP
    assert invitation.created_by == sam


def test_an_unknown_domain_is_explained(client, sam, acme):
    client.force_login(sam)
    response = client.post(URL, {"which": "existing", "existing-domain": "nobody"})
    assert response.status_code == 400
    assert "No customer tenant uses nobody.onmicrosoft.com" in response.text
    assert not Invitation.objects.exists()


def test_another_partners_customer_needs_a_recipient_named_by_the_agent(client, sam, globex):
    client.force_login(sam)
    response = client.post(URL, {"which": "existing", "existing-domain": globex.domain})
    assert response.status_code == 400
    assert "This tenant is not your customer yet" in response.text
    assert "Globex" not in response.text
    assert not Invitation.objects.exists()


def test_a_new_customer_is_created_with_a_pending_relationship_and_invited(
    client, sam, template_cz
):
    client.force_login(sam)
    response = client.post(URL, new_customer())
    customer = Customer.objects.get(domain="fourthcoffee.onmicrosoft.com")
    invitation = Invitation.objects.get(customer=customer)
    assert response["Location"] == f"/invitations/{invitation.public_id}/compose/"
    relationship = Relationship.objects.get(customer=customer)
    assert relationship.partner == sam.partner
    assert relationship.status == RelationshipStatus.PENDING
    assert relationship.activated_at is None
    admin = User.objects.get(customer=customer)
    assert admin.email == "admin@fourthcoffee.onmicrosoft.com"
    assert admin.must_change_password
    assert invitation.kind == InvitationKind.RESELLER_RELATIONSHIP


def test_the_new_customers_draft_carries_the_temporary_password_once(client, sam, template_cz):
    client.force_login(sam)
    response = client.post(URL, new_customer(**{"new-language": "en"}))
    page = client.get(response["Location"]).text
    assert "admin@fourthcoffee.onmicrosoft.com" in page
    # The message's own line (the credentials block above it holds the password too).
    body = page.split('id="id_body">', 1)[1]
    password_line = body.split("Temporary password: ", 1)[1].split("\n", 1)[0]
    admin = User.objects.get(email="admin@fourthcoffee.onmicrosoft.com")
    assert admin.check_password(password_line.replace("&amp;", "&").replace("&#x27;", "'"))
    assert password_line not in client.get(response["Location"]).text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("new-company_name", "", "This field is required."),
        ("new-domain", "Not Valid!", "Enter the name before .onmicrosoft.com"),
        ("new-contact_email", "not-an-email", "Enter a valid email address."),
        ("new-country", "XX", "Select a valid choice."),
    ],
)
def test_bad_new_customer_input_is_refused_and_nothing_is_saved(
    client, sam, template_cz, field, value, message
):
    client.force_login(sam)
    before = counts()
    response = client.post(URL, new_customer(**{field: value}))
    assert response.status_code == 400
    assert message in response.text
    assert counts() == before


def test_a_taken_domain_is_refused(client, sam, acme):
    client.force_login(sam)
    before = counts()
    response = client.post(URL, new_customer(**{"new-domain": "acme"}))
    assert response.status_code == 400
    assert "A tenant already uses acme.onmicrosoft.com" in response.text
    assert "An existing tenant" in response.text
    assert counts() == before


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_helpdesk_and_billing_cannot_request(request, client, persona, template_cz):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.post(URL, new_customer()).status_code == 403
    assert not Customer.objects.exists()


def test_a_reseller_may_request_a_relationship(client, nora, template_cz):
    client.force_login(nora)
    response = client.post(URL, new_customer())
    assert response.status_code == 302
    assert Relationship.objects.get().partner == nora.partner


def test_a_customer_admin_cannot_request(client, acme_admin):
    client.force_login(acme_admin)
    assert client.get(URL).status_code == 403


def test_a_provider_asks_its_resellers_customer_as_a_tenant_not_yet_its_own(client, frank, initech):
    """Its reseller's customer is not the provider's own: without a recipient nothing is sent."""
    client.force_login(frank)
    response = client.post(URL, {"which": "existing", "existing-domain": initech.domain})
    assert response.status_code == 400
    assert "This tenant is not your customer yet" in response.text
    assert not Invitation.objects.exists()


def test_an_active_customer_is_refused_and_its_open_invitation_lives_on(client, sam, acme, contoso):
    """Acme already works with Contoso: there is no relationship to ask for, and the agreement
    invitation it already holds must keep working."""
    pending_mca, _link = create_invitation(
        partner=contoso, customer=acme, kind=InvitationKind.EXISTING_CUSTOMER, created_by=sam
    )
    client.force_login(sam)
    response = client.post(URL, {"which": "existing", "existing-domain": "acme"})
    assert response.status_code == 409
    assert "Acme s.r.o. is already your customer" in response.text
    assert f'href="/customers/{acme.tenant_id}/#invitations"' in response.text
    pending_mca.refresh_from_db()
    assert pending_mca.status == InvitationStatus.PENDING
    assert pending_mca.replaced_by is None
    assert Invitation.objects.count() == 1
    # The open invitation is pointed to, not replaced by a new one.
    assert "already has an open invitation to accept the agreement" in response.text
    assert f'action="/invitations/customers/{acme.tenant_id}/"' not in response.text


def test_an_active_customer_without_an_invitation_is_offered_the_agreement_invitation(
    client, sam, acme
):
    client.force_login(sam)
    response = client.post(URL, {"which": "existing", "existing-domain": "acme"})
    assert response.status_code == 409
    assert f'action="/invitations/customers/{acme.tenant_id}/"' in response.text
    assert 'value="existing_customer"' in response.text
    assert "Invite to accept the agreement" in response.text
    assert not Invitation.objects.exists()


def test_account_info_refuses_a_relationship_request_to_an_active_customer(client, sam, acme):
    client.force_login(sam)
    response = client.post(
        f"/invitations/customers/{acme.tenant_id}/",
        {"kind": InvitationKind.RESELLER_RELATIONSHIP},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/customers/{acme.tenant_id}/"
    assert "Acme s.r.o. is already your customer" in response.text
    assert not Invitation.objects.exists()


def test_a_new_invitees_language_follows_its_country_when_left_out(client, sam, template_cz):
    from customers.models import Customer

    client.force_login(sam)
    response = client.post(
        "/invitations/request/",
        {
            "which": "new",
            "new-company_name": "Pražírna Kafe s.r.o.",
            "new-domain": "prazirnakafe",
            "new-country": "CZ",
            "new-address_line1": "Náměstí 1",
            "new-city": "Brno",
            "new-postal_code": "602 00",
            "new-contact_first_name": "Jana",
            "new-contact_last_name": "Malá",
            "new-contact_email": "jana@prazirna.example",
        },
    )
    assert response.status_code == 302
    assert Customer.objects.get(domain="prazirnakafe.onmicrosoft.com").language == "cs"
