"""B1: the new-customer confirmation shows the credentials once and an email draft with the link."""

from django.core import mail

from invitations.models import Invitation, InvitationKind
from tests.customers.conftest import new_customer_data


def create_with_invitation(client):
    started = client.post(
        "/customers/new/", new_customer_data(agreement="invite", date_agreed=None, language="en")
    )
    assert started.status_code == 302, started.text
    # Whatever review address the form sends us to.
    response = client.post(started["Location"])
    assert response.status_code == 302, response.text
    return response["Location"]


def test_the_confirmation_page_holds_an_email_draft_with_link_and_credentials(
    client, sam, template_cz
):
    client.force_login(sam)
    created = create_with_invitation(client)
    page = client.get(created).text
    invitation = Invitation.objects.get()
    assert invitation.kind == InvitationKind.NEW_CUSTOMER
    assert "Email to the customer" in page
    body = page.split('id="id_body">', 1)[1].split("</textarea>", 1)[0]
    assert "http://127.0.0.1:8000/admin-center/invitation/" in body
    assert "admin@wingtip.onmicrosoft.com" in body
    assert "Temporary password: " in body
    assert f'action="/invitations/{invitation.public_id}/send/"' in page


def test_the_draft_is_gone_on_the_second_visit(client, sam, template_cz):
    client.force_login(sam)
    created = create_with_invitation(client)
    client.get(created)
    again = client.get(created).text
    assert "Email to the customer" not in again
    assert "/admin-center/invitation/" not in again


def test_the_draft_can_be_sent_from_the_confirmation_page(client, sam, template_cz):
    client.force_login(sam)
    created = create_with_invitation(client)
    page = client.get(created).text
    subject = page.split('name="subject" value="', 1)[1].split('"', 1)[0]
    body = page.split('id="id_body">', 1)[1].split("</textarea>", 1)[0]
    body = body.replace("&amp;", "&").replace("&#x27;", "'").replace("&quot;", '"')
    invitation = Invitation.objects.get()
    response = client.post(
        f"/invitations/{invitation.public_id}/send/", {"subject": subject, "body": body}
    )
    assert response.status_code == 302
    assert mail.outbox[0].to == ["petr@wingtip.example"]
    assert "Temporary password: " in mail.outbox[0].body
