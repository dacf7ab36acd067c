"""B2 with a tenant that works with another partner: found by its domain or tenant ID, asked
for the reseller relationship and the agreement in one message, sent where the agent says.
The asking partner learns that the tenant exists and its name, nothing else: not its contact,
address or partners; it has no Account info for it until the customer accepts."""

import pytest
from django.core import mail

from agreements.models import Acceptance, AcceptanceMethod
from customers.models import Relationship, RelationshipStatus
from invitations.models import Invitation, InvitationKind, InvitationStatus
from tests import factories as f
from tests.admin_center.accepting import press_accept
from tests.conftest import path_of

URL = "/invitations/request/"
RECIPIENT = "it@globex.example"


def ask(client, value, recipient=RECIPIENT):
    data = {"which": "existing", "existing-domain": value}
    if recipient is not None:
        data["existing-recipient_email"] = recipient
    return client.post(URL, data)


@pytest.fixture
def globex_en(globex):
    globex.language = "en"
    globex.save(update_fields=["language"])
    return globex


def test_a_tenant_of_another_partner_is_asked_by_its_domain(client, sam, globex_en, contoso):
    client.force_login(sam)
    response = ask(client, "GLOBEX")
    invitation = Invitation.objects.get()
    assert response["Location"] == f"/invitations/{invitation.public_id}/compose/"
    assert invitation.customer == globex_en
    assert invitation.partner == contoso
    assert invitation.kind == InvitationKind.RESELLER_RELATIONSHIP
    assert invitation.email_to == RECIPIENT
    # No relationship until the customer accepts: the customers list and Account info stay shut.
    assert not Relationship.objects.filter(partner=contoso, customer=globex_en).exists()
    assert client.get(f"/customers/{globex_en.tenant_id}/").status_code == 404


def test_a_tenant_is_also_found_by_its_tenant_id(client, sam, globex_en):
    client.force_login(sam)
    assert ask(client, str(globex_en.tenant_id)).status_code == 302
    assert Invitation.objects.get().customer == globex_en


def test_the_composer_reveals_neither_the_contact_nor_the_other_partner(
    client, sam, globex_en, litware
):
    client.force_login(sam)
    compose = ask(client, globex_en.domain)["Location"]
    text = client.get(compose).text
    assert f'value="{RECIPIENT}"' in text
    assert globex_en.contact_email not in text
    assert globex_en.contact_first_name not in text
    assert globex_en.contact_last_name not in text
    assert globex_en.address_line1 not in text
    assert litware.name not in text
    assert "Hello," in text
    # No Account info to go to yet.
    assert f"/customers/{globex_en.tenant_id}/" not in text


def test_send_mails_the_address_the_agent_named(client, sam, globex_en):
    client.force_login(sam)
    compose = ask(client, globex_en.domain)["Location"]
    invitation = Invitation.objects.get()
    page = client.get(compose).text
    subject = page.split('name="subject" value="', 1)[1].split('"', 1)[0]
    body = page.split('id="id_body">', 1)[1].split("</textarea>", 1)[0].replace("&amp;", "&")
    response = client.post(
        f"/invitations/{invitation.public_id}/send/",
        {"subject": subject, "body": body},
        follow=True,
    )
    assert f"The invitation was sent to {RECIPIENT}." in response.text
    assert [message.to for message in mail.outbox] == [[RECIPIENT]]
    assert globex_en.contact_email not in response.text


def test_a_failed_send_still_names_only_the_recipient(client, sam, globex_en):
    client.force_login(sam)
    ask(client, globex_en.domain)
    invitation = Invitation.objects.get()
    response = client.post(
        f"/invitations/{invitation.public_id}/send/", {"subject": "Hi", "body": "no link"}
    )
    assert response.status_code == 400
    assert RECIPIENT in response.text
    assert globex_en.contact_email not in response.text


def test_a_resent_request_goes_to_the_same_recipient(client, sam, globex_en):
    client.force_login(sam)
    ask(client, globex_en.domain)
    old = Invitation.objects.get()
    response = client.post(f"/invitations/{old.public_id}/resend/")
    assert response.status_code == 302
    new = Invitation.objects.exclude(pk=old.pk).get()
    assert new.email_to == RECIPIENT
    assert globex_en.contact_email not in client.get(response["Location"]).text


def test_the_customer_accepts_and_becomes_the_partners_customer(
    client, sam, globex_en, contoso, litware
):
    from invitations.services import request_relationship_from_tenant

    admin = f.CustomerAdminFactory(customer=globex_en, must_change_password=False)
    invitation, link = request_relationship_from_tenant(
        partner=contoso,
        customer=globex_en,
        recipient_email=RECIPIENT,
        created_by=sam,
        blocked_ok=True,  # the agent saw the warning (test_blocked_warning)
    )
    client.force_login(admin)
    response = press_accept(
        client, path_of(link), {"accept_agreement": "on", "accept_relationship": "on"}
    )
    assert response.status_code == 302
    relationship = Relationship.objects.get(partner=contoso, customer=globex_en)
    assert relationship.status == RelationshipStatus.ACTIVE
    acceptance = Acceptance.objects.get(customer=globex_en)
    assert acceptance.partner == contoso
    assert acceptance.method == AcceptanceMethod.DIRECT_ACCEPTANCE
    # Litware keeps its own relationship; the customer now has both partners.
    assert Relationship.objects.filter(customer=globex_en).count() == 2
    client.force_login(sam)
    assert client.get(f"/customers/{globex_en.tenant_id}/").status_code == 200


def test_a_tenant_that_bought_through_its_partner_accepts_the_relationship_only(
    client, sam, globex_en, contoso, litware, order_for
):
    """D2: earlier purchases through Litware: the relationship may be accepted, the agreement
    is for Contoso to attest."""
    from invitations.services import request_relationship_from_tenant

    order_for(globex_en, litware)
    admin = f.CustomerAdminFactory(customer=globex_en, must_change_password=False)
    invitation, link = request_relationship_from_tenant(
        partner=contoso,
        customer=globex_en,
        recipient_email=RECIPIENT,
        created_by=sam,
        blocked_ok=True,  # the agent saw the warning (test_blocked_warning)
    )
    client.force_login(admin)
    client.get(path_of(link))
    press_accept(client, path_of(link), {"accept_relationship": "on"})
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.BLOCKED
    assert Relationship.objects.get(partner=contoso, customer=globex_en).status == "active"
    assert not Acceptance.objects.exists()


@pytest.mark.parametrize(
    ("recipient", "message"),
    [
        (None, "This tenant is not your customer yet"),
        ("", "This tenant is not your customer yet"),
        ("not-an-email", "Enter a valid email address."),
    ],
)
def test_a_missing_or_bad_recipient_is_refused_and_nothing_is_made(
    client, sam, globex_en, recipient, message
):
    client.force_login(sam)
    response = ask(client, globex_en.domain, recipient=recipient)
    assert response.status_code == 400
    assert message in response.text
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("value", ["nobody", "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_domain_or_tenant_id_is_not_found(client, sam, template_cz, value):
    client.force_login(sam)
    response = ask(client, value)
    assert response.status_code == 400
    assert "No customer tenant uses" in response.text
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_read_only_agents_cannot_ask(request, client, globex_en, persona):
    client.force_login(request.getfixturevalue(persona))
    assert ask(client, globex_en.domain).status_code == 403
    assert not Invitation.objects.exists()


def test_a_customer_admin_cannot_ask(client, acme_admin, globex_en):
    client.force_login(acme_admin)
    assert ask(client, globex_en.domain).status_code == 403


def test_another_partners_agent_cannot_open_the_composer(client, sam, lisa, globex_en):
    client.force_login(sam)
    compose = ask(client, globex_en.domain)["Location"]
    client.force_login(lisa)
    assert client.get(compose).status_code == 404


def test_a_second_request_replaces_the_first(client, sam, globex_en):
    client.force_login(sam)
    ask(client, globex_en.domain)
    ask(client, globex_en.domain, recipient="cfo@globex.example")
    assert Invitation.objects.filter(status=InvitationStatus.REVOKED).count() == 1
    assert Invitation.objects.get(status=InvitationStatus.PENDING).email_to == (
        "cfo@globex.example"
    )


# --- B2 for a new tenant: the credentials are shown once, apart from the message ------------


def new_tenant(**overrides):
    data = {
        "which": "new",
        "new-company_name": "Fourth Coffee s.r.o.",
        "new-domain": "fourthcoffee",
        "new-country": "CZ",
        "new-address_line1": "Národní 1",
        "new-city": "Praha",
        "new-postal_code": "110 00",
        "new-language": "en",
        "new-contact_first_name": "Karel",
        "new-contact_last_name": "Malý",
        "new-contact_email": "karel@fourthcoffee.example",
    }
    data.update(overrides)
    return data


def test_the_new_tenants_composer_shows_the_credentials_once_in_their_own_block(
    client, sam, template_cz
):
    from portal.models import User

    client.force_login(sam)
    compose = client.post(URL, new_tenant())["Location"]
    page = client.get(compose).text
    block = page.split("data-credentials-once", 1)[1].split("</section>", 1)[0]
    password = block.split('id="temporary-password">', 1)[1].split("<", 1)[0]
    password = password.replace("&amp;", "&").replace("&#x27;", "'").replace("&lt;", "<")
    admin = User.objects.get(email="admin@fourthcoffee.onmicrosoft.com")
    assert admin.check_password(password)
    assert "admin@fourthcoffee.onmicrosoft.com" in block
    # Shown once: the next render has neither the block nor the password.
    again = client.get(compose).text
    assert "data-credentials-once" not in again


def test_the_credentials_block_reads_in_czech(client, sam, template_cz):
    client.force_login(sam)
    client.cookies["django_language"] = "cs"
    compose = client.post(URL, new_tenant())["Location"]
    page = client.get(compose).text
    assert "Přihlašovací údaje zákazníka" in page
    assert "data-credentials-once" in page


def test_an_existing_customers_request_shows_no_credentials(client, sam, acme, contoso):
    Relationship.objects.filter(customer=acme).update(status=RelationshipStatus.PENDING)
    client.force_login(sam)
    compose = ask(client, acme.domain, recipient=None)["Location"]
    assert "data-credentials-once" not in client.get(compose).text


def test_the_invitations_list_doesnt_link_a_tenant_still_asked_to_account_info(
    client, sam, globex_en, acme, contoso
):
    Relationship.objects.filter(customer=acme).update(status=RelationshipStatus.PENDING)
    client.force_login(sam)
    ask(client, globex_en.domain)
    ask(client, acme.domain, recipient=None)
    text = client.get("/invitations/").text
    assert f'href="/customers/{globex_en.tenant_id}/"' not in text
    assert globex_en.domain in text
    assert f'href="/customers/{acme.tenant_id}/"' in text


def test_a_blocked_request_offers_no_attestation_before_the_relationship_is_accepted(
    client, sam, globex_en, contoso, litware, order_for
):
    """D2 before the customer accepted the relationship: there is no customer to attest for
    yet, so no link that would answer 404."""
    from invitations.services import request_relationship_from_tenant

    order_for(globex_en, litware)
    admin = f.CustomerAdminFactory(customer=globex_en, must_change_password=False)
    invitation, link = request_relationship_from_tenant(
        partner=contoso,
        customer=globex_en,
        recipient_email=RECIPIENT,
        created_by=sam,
        blocked_ok=True,  # the agent saw the warning (test_blocked_warning)
    )
    client.force_login(admin)
    client.get(path_of(link))
    client.force_login(sam)
    for page in ("/invitations/", f"/invitations/{invitation.public_id}/compose/"):
        text = client.get(page).text
        assert f"/customers/{globex_en.tenant_id}/attest/" not in text
        assert "Once the customer accepts the reseller relationship" in text
