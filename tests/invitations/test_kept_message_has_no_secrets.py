"""R7: the copy of a sent message kept on the invitation holds neither its token nor a password."""

from django.core import mail

from invitations.email import token_from_link
from invitations.models import Invitation
from tests.invitations.test_compose_and_send import draft_of, invite_from_account_info
from tests.invitations.test_new_customer_draft import create_with_invitation


def test_the_kept_message_masks_the_links_token(client, sam, acme):
    client.force_login(sam)
    invitation, compose = invite_from_account_info(client, acme)
    subject, body = draft_of(client.get(compose).text)
    token = token_from_link(body)
    client.post(f"/invitations/{invitation.public_id}/send/", {"subject": subject, "body": body})
    assert token in mail.outbox[0].body
    invitation.refresh_from_db()
    assert token not in invitation.email_body
    assert "/admin-center/invitation/…/" in invitation.email_body
    assert "Dear Jana," in invitation.email_body


def test_the_kept_message_masks_the_temporary_password(client, sam, template_cz):
    client.force_login(sam)
    page = client.get(create_with_invitation(client)).text
    subject = page.split('name="subject" value="', 1)[1].split('"', 1)[0]
    body = page.split('id="id_body">', 1)[1].split("</textarea>", 1)[0]
    body = body.replace("&amp;", "&").replace("&#x27;", "'").replace("&quot;", '"')
    password = body.split("Temporary password: ", 1)[1].split()[0]
    invitation = Invitation.objects.get()
    client.post(f"/invitations/{invitation.public_id}/send/", {"subject": subject, "body": body})
    assert password in mail.outbox[0].body
    invitation.refresh_from_db()
    assert password not in invitation.email_body
    assert "Temporary password: …" in invitation.email_body
    assert "admin@wingtip.onmicrosoft.com" in invitation.email_body
