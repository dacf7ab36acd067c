"""The invitation email and its links: the composer (B1–B3), the links a message carries, and
the copy kept on record, with its secrets masked (R7).

Links are built from PORTAL_BASE_URL, never from the request, and point into the customer
admin center by URL name (the composition root mounts it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from customers.services import PASSWORD_ALPHABET, admin_sign_in_name
from invitations.models import Invitation
from portal.hashing import hash_token
from portal.models import Partner, User

LINK_TOKEN = re.compile(r"/admin-center/invitation/([A-Za-z0-9_-]{20,100})/")


def invitation_link(token: str) -> str:
    """The acceptance link, built from PORTAL_BASE_URL and never from the request."""
    return settings.PORTAL_BASE_URL + reverse("admin_center:invitation", args=[token])


def relationship_request_link(partner: Partner) -> str:
    """The partner's standing reseller-relationship link, the same for every customer (B2)."""
    return settings.PORTAL_BASE_URL + reverse(
        "admin_center:relationship_request", args=[partner.partner_id]
    )


def sign_in_link() -> str:
    return settings.PORTAL_BASE_URL + reverse("admin_center:login")


def token_from_link(link: str) -> str | None:
    match = LINK_TOKEN.search(link or "")
    return match.group(1) if match else None


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    body: str
    # The invitation's link, for the composer's own field; never part of what is kept.
    link: str = ""
    # Copies, as typed (comma-separated addresses).
    cc: str = ""

    @property
    def mailto(self) -> str:
        query = f"subject={quote(self.subject)}&body={quote(self.body)}"
        if self.cc.strip():
            query = f"cc={quote(self.cc.strip())}&{query}"
        return f"mailto:{quote(self.to.strip(), safe='@')}?{query}"


def recipient(invitation: Invitation) -> str:
    """Where the invitation's email goes: the address the agent named when asking a tenant
    that isn't its customer yet (whose contact the portal never reveals to it), else the
    customer's primary contact."""
    return invitation.email_to or invitation.customer.contact_email


def compose_email(invitation: Invitation, link: str, password: str | None = None) -> Email:
    """The generated message, in the customer's language where we have it."""
    customer = invitation.customer
    to = recipient(invitation)
    context = {
        # The contact's name only in a message to the contact.
        "greeting_name": customer.contact_first_name if to == customer.contact_email else "",
        "invitation": invitation,
        "customer": customer,
        "partner": invitation.partner,
        "link": link,
        "sign_in_link": sign_in_link(),
        "sign_in_name": admin_sign_in_name(customer.domain),
        "password": password,
        "expires_on": timezone.localtime(invitation.expires_at).date(),
    }
    with translation.override(customer.language):
        subject = render_to_string("invitations/email/subject.txt", context)
        body = render_to_string("invitations/email/body.txt", context)
    return Email(
        to=to,
        subject=" ".join(subject.split()),
        body=body.strip() + "\n",
        link=link,
    )


def body_has_link(invitation: Invitation, body: str) -> bool:
    """The edited message still carries this invitation's link (we only know its hash)."""
    return any(hash_token(token) == invitation.token_hash for token in LINK_TOKEN.findall(body))


# What stands in the kept copy of a message for a secret it carried.
MASK = "…"


def without_secrets(invitation: Invitation, body: str) -> str:
    """The message as kept on record (R7): the link's token and a temporary password the
    customer admin has not replaced yet are masked, so the database holds neither."""
    body = LINK_TOKEN.sub(lambda match: match.group(0).replace(match.group(1), MASK), body)
    hashes = list(
        User.objects.filter(
            customer_id=invitation.customer_id, must_change_password=True
        ).values_list("password", flat=True)
    )
    if not hashes:
        return body
    # Only a word shaped like a generated password is worth a (slow) hash check.
    candidates = {
        word
        for word in body.split()
        if len(word) >= 12 and set(word) <= set(PASSWORD_ALPHABET) and not word.isalnum()
    }
    for word in candidates:
        if any(check_password(word, encoded) for encoded in hashes):
            body = body.replace(word, MASK)
    return body
