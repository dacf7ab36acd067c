"""The composer shows the invitation link in a field of its own, so an agent who deleted it
from the message can put it back; the link travels only in the agent's own page (R7)."""

from django.core import mail

from invitations.models import Invitation
from tests import factories as f
from tests.invitations.test_compose_and_send import draft_of, invite_from_account_info


def link_field(page_text: str) -> str | None:
    if 'id="composer-link"' not in page_text:
        return None
    return page_text.split('id="composer-link"', 1)[1].split('value="', 1)[1].split('"', 1)[0]


def test_the_composer_shows_the_link_in_a_labelled_field_with_a_copy_button(client, sam, acme):
    client.force_login(sam)
    _invitation, compose = invite_from_account_info(client, acme)
    page = client.get(compose).text
    _subject, body = draft_of(page)
    link = link_field(page)
    assert link is not None and link.startswith("http://127.0.0.1:8000/admin-center/invitation/")
    assert link in body
    assert '<label class="form-label" for="composer-link">Invitation link</label>' in page
    assert "data-copy-link" in page
    assert 'name="link"' in page


def test_a_message_without_the_link_is_refused_and_the_link_shown_again(client, sam, acme):
    client.force_login(sam)
    invitation, compose = invite_from_account_info(client, acme)
    page = client.get(compose).text
    subject, _body = draft_of(page)
    link = link_field(page)
    response = client.post(
        f"/invitations/{invitation.public_id}/send/",
        {"subject": subject, "body": "Hi, no link here.", "link": link},
    )
    assert response.status_code == 400
    assert "Copy it from the Invitation link field into the message" in response.text
    assert link_field(response.text) == link
    assert "no-store" in response["Cache-Control"]
    assert mail.outbox == []
    invitation.refresh_from_db()
    assert invitation.sent_at is None
    assert invitation.email_body == ""

    # Put back, it sends; the kept copy still has no token.
    response = client.post(
        f"/invitations/{invitation.public_id}/send/",
        {"subject": subject, "body": f"Hi, here it is: {link}", "link": link},
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert link not in invitation.email_body


def test_without_the_link_on_the_page_the_message_says_to_resend(client, sam, acme):
    client.force_login(sam)
    invitation, compose = invite_from_account_info(client, acme)
    subject, _body = draft_of(client.get(compose).text)
    response = client.post(
        f"/invitations/{invitation.public_id}/send/", {"subject": subject, "body": "Hi!"}
    )
    assert response.status_code == 400
    assert "this page no longer has it. Resend the invitation" in response.text
    assert link_field(response.text) is None


def test_a_link_that_is_not_this_invitations_is_never_echoed(client, sam, acme):
    client.force_login(sam)
    invitation, compose = invite_from_account_info(client, acme)
    page = client.get(compose).text
    subject, _body = draft_of(page)
    other = f.InvitationFactory(partner=sam.partner, customer=f.CustomerFactory(), created_by=sam)
    for forged in (
        link_field(page),
        "http://evil.example/admin-center/invitation/" + "x" * 43 + "/",
    ):
        response = client.post(
            f"/invitations/{other.public_id}/send/",
            {"subject": subject, "body": "Hi!", "link": forged},
        )
        assert response.status_code == 400
        assert link_field(response.text) is None
        assert "Resend the invitation" in response.text


def test_a_revoked_invitations_link_is_not_shown_again(client, sam, acme):
    client.force_login(sam)
    invitation, compose = invite_from_account_info(client, acme)
    page = client.get(compose).text
    subject, _body = draft_of(page)
    link = link_field(page)
    client.post(f"/invitations/{invitation.public_id}/revoke/", {"confirm": "yes"})
    response = client.post(
        f"/invitations/{invitation.public_id}/send/",
        {"subject": subject, "body": "Hi!", "link": link},
    )
    assert response.status_code == 400
    assert link_field(response.text) is None
    assert Invitation.objects.get().sent_at is None
