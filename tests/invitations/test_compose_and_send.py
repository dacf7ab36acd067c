"""B2/B3: the generated email, shown with its link once, edited, copied, mailed or sent."""

import datetime
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.core import mail
from django.utils import translation

from invitations.email import compose_email, invitation_link
from invitations.models import Invitation, InvitationKind
from tests import factories as f


def invite_from_account_info(client, customer, kind="existing_customer"):
    # The email is written in the customer's language; these tests read the English one.
    customer.language = "en"
    customer.save(update_fields=["language"])
    response = client.post(f"/invitations/customers/{customer.tenant_id}/", {"kind": kind})
    assert response.status_code == 302
    return Invitation.objects.latest("created_at"), response["Location"]


def draft_of(page_text: str) -> tuple[str, str]:
    subject = page_text.split('name="subject" value="', 1)[1].split('"', 1)[0]
    body = page_text.split('id="id_body">', 1)[1].split("</textarea>", 1)[0]
    return subject, body.replace("&#x27;", "'").replace("&amp;", "&")


def test_the_composer_shows_the_link_once(client, sam, acme):
    client.force_login(sam)
    _invitation, compose = invite_from_account_info(client, acme)
    first = client.get(compose)
    assert "/admin-center/invitation/" in first.text
    again = client.get(compose)
    assert "/admin-center/invitation/" not in again.text
    assert "was shown once and is no longer available" in again.text


def test_the_email_names_the_partner_the_link_the_expiry_and_the_sign_in_name(client, sam, acme):
    client.force_login(sam)
    invitation, compose = invite_from_account_info(client, acme)
    subject, body = draft_of(client.get(compose).text)
    assert "Contoso Partner" in subject
    assert "Microsoft Customer Agreement" in subject
    assert "Dear Jana," in body
    assert "http://127.0.0.1:8000/admin-center/invitation/" in body
    assert "admin@acme.onmicrosoft.com" in body
    assert "http://127.0.0.1:8000/admin-center/login/" in body


def test_a_relationship_request_says_so(client, sam, acme, contoso):
    from customers.models import Relationship, RelationshipStatus

    Relationship.objects.filter(partner=contoso, customer=acme).update(
        status=RelationshipStatus.PENDING, activated_at=None
    )
    client.force_login(sam)
    _invitation, compose = invite_from_account_info(client, acme, "reseller_relationship")
    subject, body = draft_of(client.get(compose).text)
    assert "reseller relationship" in subject
    assert "would like to sell Microsoft cloud services" in body


def test_the_email_is_written_in_the_customers_language(acme, sam):
    invitation = f.InvitationFactory(partner=sam.partner, customer=acme, created_by=sam)
    acme.language = "cs"
    email = compose_email(invitation, invitation_link("t" * 43))
    with translation.override("cs"):
        expected = translation.gettext("Open this link to read the agreement and accept it:")
    assert expected in email.body
    # The expiry date is formatted for Czech whatever the agent's own language.
    with translation.override("en"):
        email = compose_email(invitation, invitation_link("t" * 43))
    assert any(
        month in email.body
        for month in (
            "ledna",
            "února",
            "března",
            "dubna",
            "května",
            "června",
            "července",
            "srpna",
            "září",
            "října",
            "listopadu",
            "prosince",
        )
    )


def test_an_english_customer_gets_english(acme, sam):
    acme.language = "en"
    acme.save()
    invitation = f.InvitationFactory(partner=sam.partner, customer=acme, created_by=sam)
    with translation.override("cs"):
        email = compose_email(invitation, invitation_link("t" * 43))
    assert "Open this link to read the agreement and accept it:" in email.body


def test_open_in_email_is_a_mailto_link_with_subject_and_body(client, sam, acme):
    client.force_login(sam)
    _invitation, compose = invite_from_account_info(client, acme)
    page = client.get(compose).text
    href = page.split("data-mailto", 1)[1].split('href="', 1)[1].split('"', 1)[0]
    href = href.replace("&amp;", "&")
    parts = urlsplit(href)
    assert parts.scheme == "mailto"
    assert unquote(parts.path) == acme.contact_email
    query = parse_qs(parts.query)
    subject, body = draft_of(page)
    assert query["subject"] == [subject]
    assert "/admin-center/invitation/" in query["body"][0]


def test_send_mails_the_edited_message_to_the_contact_and_keeps_it(client, sam, acme):
    client.force_login(sam)
    invitation, compose = invite_from_account_info(client, acme)
    subject, body = draft_of(client.get(compose).text)
    edited = body.replace("Dear Jana,", "Hello Jana, as agreed on the phone:")
    response = client.post(
        f"/invitations/{invitation.public_id}/send/", {"subject": subject, "body": edited}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [acme.contact_email]
    assert message.subject == subject
    assert "as agreed on the phone" in message.body
    invitation.refresh_from_db()
    assert invitation.email_to == acme.contact_email
    assert invitation.email_subject == subject
    assert "as agreed on the phone" in invitation.email_body
    assert invitation.sent_at is not None


def test_a_double_click_on_send_sends_one_email_but_an_edit_sends_again(client, sam, acme):
    client.force_login(sam)
    invitation, compose = invite_from_account_info(client, acme)
    subject, body = draft_of(client.get(compose).text)
    send = f"/invitations/{invitation.public_id}/send/"
    for _ in range(3):  # a double click, then the page resubmitted
        assert client.post(send, {"subject": subject, "body": body}).status_code == 302
    assert len(mail.outbox) == 1
    # A changed message is a new send, and so is the same one once a while has passed.
    client.post(send, {"subject": subject, "body": body + "\nP.S. See you on Monday."})
    assert len(mail.outbox) == 2
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=invitation.created_at - datetime.timedelta(minutes=5)
    )
    client.post(send, {"subject": subject, "body": body + "\nP.S. See you on Monday."})
    assert len(mail.outbox) == 3


def test_send_refuses_a_message_without_the_link(client, sam, acme):
    client.force_login(sam)
    invitation, compose = invite_from_account_info(client, acme)
    subject, _body = draft_of(client.get(compose).text)
    response = client.post(
        f"/invitations/{invitation.public_id}/send/", {"subject": subject, "body": "Hi!"}
    )
    assert response.status_code == 400
    assert "must contain the invitation link" in response.text
    assert mail.outbox == []
    invitation.refresh_from_db()
    assert invitation.sent_at is None


def test_send_refuses_another_invitations_link(client, sam, acme):
    client.force_login(sam)
    invitation, compose = invite_from_account_info(client, acme)
    _subject, body = draft_of(client.get(compose).text)
    other = f.InvitationFactory(partner=sam.partner, customer=f.CustomerFactory(), created_by=sam)
    response = client.post(f"/invitations/{other.public_id}/send/", {"subject": "S", "body": body})
    assert response.status_code == 400
    assert mail.outbox == []


@pytest.mark.parametrize("field", ["subject", "body"])
def test_send_needs_a_subject_and_a_body(client, sam, acme, field):
    client.force_login(sam)
    invitation, compose = invite_from_account_info(client, acme)
    subject, body = draft_of(client.get(compose).text)
    data = {"subject": subject, "body": body, field: ""}
    response = client.post(f"/invitations/{invitation.public_id}/send/", data)
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert mail.outbox == []


def test_a_revoked_invitation_is_not_sent(client, sam, acme):
    client.force_login(sam)
    invitation, compose = invite_from_account_info(client, acme)
    subject, body = draft_of(client.get(compose).text)
    client.post(f"/invitations/{invitation.public_id}/revoke/", {"confirm": "yes"})
    response = client.post(
        f"/invitations/{invitation.public_id}/send/", {"subject": subject, "body": body}
    )
    assert response.status_code == 400
    assert "no longer open" in response.text
    assert mail.outbox == []


def test_inviting_again_replaces_the_open_invitation(client, sam, acme):
    client.force_login(sam)
    first, _compose = invite_from_account_info(client, acme)
    second, _compose = invite_from_account_info(client, acme)
    first.refresh_from_db()
    assert first.status == "revoked"
    assert first.replaced_by == second


def test_an_unknown_kind_is_refused(client, sam, acme):
    client.force_login(sam)
    response = client.post(f"/invitations/customers/{acme.tenant_id}/", {"kind": "everything"})
    assert response.status_code == 302
    assert not Invitation.objects.exists()
    page = client.get(response["Location"])
    assert "Choose what the invitation asks for." in page.text


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_helpdesk_and_billing_cannot_invite_or_send(request, client, persona, acme, sam):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(
        f"/invitations/customers/{acme.tenant_id}/", {"kind": "existing_customer"}
    )
    assert response.status_code == 403
    invitation = f.InvitationFactory(partner=sam.partner, customer=acme, created_by=sam)
    assert client.get(f"/invitations/{invitation.public_id}/compose/").status_code == 403
    assert (
        client.post(
            f"/invitations/{invitation.public_id}/send/", {"subject": "s", "body": "b"}
        ).status_code
        == 403
    )
    assert mail.outbox == []


def test_another_partners_customer_is_not_found(client, sam, globex):
    client.force_login(sam)
    response = client.post(
        f"/invitations/customers/{globex.tenant_id}/", {"kind": "existing_customer"}
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_another_partners_invitation_is_not_found(client, lisa, acme, sam):
    invitation = f.InvitationFactory(partner=sam.partner, customer=acme, created_by=sam)
    client.force_login(lisa)
    assert client.get(f"/invitations/{invitation.public_id}/compose/").status_code == 404
    assert (
        client.post(
            f"/invitations/{invitation.public_id}/send/", {"subject": "s", "body": "b"}
        ).status_code
        == 404
    )


def test_a_reseller_may_invite_its_own_customer(client, nora, initech):
    client.force_login(nora)
    _invitation, compose = invite_from_account_info(client, initech)
    assert "/admin-center/invitation/" in client.get(compose).text


def test_a_provider_does_not_invite_for_its_resellers_customer(client, frank, initech):
    client.force_login(frank)
    response = client.post(
        f"/invitations/customers/{initech.tenant_id}/", {"kind": "existing_customer"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_invite_is_a_post(client, sam, acme):
    client.force_login(sam)
    assert client.get(f"/invitations/customers/{acme.tenant_id}/").status_code == 405


def test_the_email_contains_no_html_escaping(acme, sam):
    acme.company_name = "Smith & Sons <Ltd>"
    acme.save()
    invitation = f.InvitationFactory(
        partner=sam.partner,
        customer=acme,
        created_by=sam,
        kind=InvitationKind.RESELLER_RELATIONSHIP,
    )
    email = compose_email(invitation, invitation_link("t" * 43))
    assert "Smith & Sons <Ltd>" in email.body


def test_a_customer_with_the_agreement_on_record_is_not_asked_again(client, sam, acme):
    f.attest(acme, sam)
    client.force_login(sam)
    page = client.get(f"/customers/{acme.tenant_id}/").text
    assert "Invite to accept the agreement" not in page
    response = client.post(
        f"/invitations/customers/{acme.tenant_id}/", {"kind": "existing_customer"}, follow=True
    )
    assert "already on record" in response.text
    assert not Invitation.objects.exists()


def test_a_subject_with_a_line_break_is_refused(client, sam, acme):
    client.force_login(sam)
    invitation, compose = invite_from_account_info(client, acme)
    _subject, body = draft_of(client.get(compose).text)
    response = client.post(
        f"/invitations/{invitation.public_id}/send/",
        {"subject": "Hello\nBcc: everyone@example.com", "body": body},
    )
    assert response.status_code == 400
    assert "The subject must be a single line." in response.text
    assert mail.outbox == []
