"""R7/R8: the invitation token is long, random, shown once inside a link and stored only hashed."""

import datetime

from django.utils import timezone

from invitations.email import invitation_link
from invitations.models import Invitation
from invitations.services import create_invitation
from portal.hashing import hash_token
from tests import factories as f


def test_the_token_carries_at_least_128_bits(acme_invitation):
    _invitation, _path, token = acme_invitation
    # url-safe base64: 6 bits per character.
    assert len(token) * 6 >= 128
    assert len(token) >= 43


def test_the_token_is_stored_only_as_its_hash(acme_invitation):
    invitation, _path, token = acme_invitation
    invitation.refresh_from_db()
    assert invitation.token_hash == hash_token(token)
    stored = [
        str(value) for value in Invitation.objects.filter(pk=invitation.pk).values()[0].values()
    ]
    assert not any(token in value for value in stored)


def test_every_invitation_gets_a_different_token(acme, sam):
    links = {
        create_invitation(
            partner=sam.partner,
            customer=f.CustomerFactory(),
            kind="existing_customer",
            created_by=sam,
        )[1]
        for _ in range(20)
    }
    assert len(links) == 20


def test_the_link_is_built_from_the_portal_base_url_never_the_host_header(
    client, settings, acme, sam
):
    settings.PORTAL_BASE_URL = "https://mca.example.com"
    settings.ALLOWED_HOSTS = ["*"]
    client.force_login(sam)
    response = client.post(
        f"/invitations/customers/{acme.tenant_id}/",
        {"kind": "existing_customer"},
        HTTP_HOST="evil.example",
    )
    page = client.get(response["Location"], HTTP_HOST="evil.example")
    assert "https://mca.example.com/admin-center/invitation/" in page.text
    assert "evil.example/admin-center" not in page.text


def test_invitation_link_uses_the_setting(settings):
    settings.PORTAL_BASE_URL = "https://portal.example"
    assert invitation_link("abc") == "https://portal.example/admin-center/invitation/abc/"


def test_an_invitation_expires_after_the_configured_days(settings, acme, sam):
    settings.INVITATION_EXPIRY_DAYS = 7
    invitation, _link = create_invitation(
        partner=sam.partner, customer=acme, kind="existing_customer", created_by=sam
    )
    expected = timezone.now() + datetime.timedelta(days=7)
    assert abs((invitation.expires_at - expected).total_seconds()) < 60
