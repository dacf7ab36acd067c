"""Issue 16: the composer's To can be changed (a valid address) and takes copies (CC): valid
addresses, at most five; what was sent is kept on the invitation."""

import pytest
from django.core import mail

from invitations.models import Invitation
from tests.invitations.test_compose_and_send import draft_of, invite_from_account_info


def compose(client, acme):
    invitation, url = invite_from_account_info(client, acme)
    page = client.get(url).text
    subject, body = draft_of(page)
    return invitation, page, subject, body


def test_the_composer_starts_with_the_contact_in_an_editable_to(client, sam, acme):
    client.force_login(sam)
    _invitation, page, _subject, _body = compose(client, acme)
    assert f'name="to" value="{acme.contact_email}"' in page
    assert 'name="cc"' in page
    assert "readonly value" not in page.split('name="to"', 1)[0].rsplit("<input", 1)[1]


def test_a_changed_to_and_copies_are_sent_and_kept(client, sam, acme):
    client.force_login(sam)
    invitation, _page, subject, body = compose(client, acme)
    response = client.post(
        f"/invitations/{invitation.public_id}/send/",
        {
            "to": "it@acme.example",
            "cc": "boss@acme.example, Boss@acme.example; legal@acme.example",
            "subject": subject,
            "body": body,
        },
        follow=True,
    )
    assert "sent to it@acme.example, with copies to boss@acme.example, legal@acme.example" in (
        response.text
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["it@acme.example"]
    assert mail.outbox[0].cc == ["boss@acme.example", "legal@acme.example"]
    invitation.refresh_from_db()
    assert invitation.email_to == "it@acme.example"
    assert invitation.email_cc == ["boss@acme.example", "legal@acme.example"]


@pytest.mark.parametrize(
    ("to", "cc", "message"),
    [
        ("not-an-address", "", "Enter a valid email address."),
        ("it@acme.example", "boss@acme.example, nope", "These are not valid email addresses: nope"),
        (
            "it@acme.example",
            ",".join(f"c{n}@acme.example" for n in range(6)),
            "Send copies to at most 5 addresses.",
        ),
        ("it@acme.example\nBcc: x@evil.example", "", "Enter a valid email address."),
    ],
)
def test_bad_addresses_are_refused_and_nothing_is_sent(client, sam, acme, to, cc, message):
    client.force_login(sam)
    invitation, _page, subject, body = compose(client, acme)
    response = client.post(
        f"/invitations/{invitation.public_id}/send/",
        {"to": to, "cc": cc, "subject": subject, "body": body},
    )
    assert response.status_code == 400
    assert message in response.text
    assert not mail.outbox
    assert Invitation.objects.get(pk=invitation.pk).sent_at is None


def test_an_empty_to_means_the_customers_contact(client, sam, acme):
    client.force_login(sam)
    invitation, _page, subject, body = compose(client, acme)
    client.post(
        f"/invitations/{invitation.public_id}/send/",
        {"to": "", "subject": subject, "body": body},
    )
    assert mail.outbox[0].to == [acme.contact_email]
    assert mail.outbox[0].cc == []


def test_open_in_email_carries_the_copies(client, sam, acme):
    client.force_login(sam)
    invitation, _page, subject, body = compose(client, acme)
    response = client.post(
        f"/invitations/{invitation.public_id}/send/",
        {
            "to": "it@acme.example",
            "cc": "boss@acme.example, nope",
            "subject": subject,
            "body": body,
        },
    )
    assert 'href="mailto:it@acme.example?cc=boss%40acme.example%2C%20nope&amp;subject=' in (
        response.text
    )


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_read_only_agents_cannot_send(request, client, persona, sam, acme):
    client.force_login(sam)
    invitation, _page, subject, body = compose(client, acme)
    client.force_login(request.getfixturevalue(persona))
    response = client.post(
        f"/invitations/{invitation.public_id}/send/",
        {"to": "x@evil.example", "subject": subject, "body": body},
    )
    assert response.status_code == 403
    assert not mail.outbox


def test_another_partner_cannot_send(client, sam, lisa, acme):
    client.force_login(sam)
    invitation, _page, subject, body = compose(client, acme)
    client.force_login(lisa)
    response = client.post(
        f"/invitations/{invitation.public_id}/send/",
        {"to": "x@evil.example", "subject": subject, "body": body},
    )
    assert response.status_code == 404
    assert not mail.outbox
