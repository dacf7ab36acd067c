"""The signing link's email (the composer's prepared message, in the signatory's language) and
the one-time code's. Links are built from PORTAL_BASE_URL, never from the request."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from signing.models import SigningRequest


def signing_link(token: str) -> str:
    return settings.PORTAL_BASE_URL + reverse("signing:sign", args=[token])


def page_language(request: SigningRequest) -> str:
    """The portal's language closest to the agreement's (cs-CZ → cs; else English)."""
    code = request.language.split("-")[0].lower()
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE.split("-")[0]


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    body: str

    @property
    def mailto(self) -> str:
        query = f"subject={quote(self.subject)}&body={quote(self.body)}"
        return f"mailto:{quote(self.to, safe='@')}?{query}"


def _render(request: SigningRequest, name: str, context: dict) -> Email:
    context = {
        "request": request,
        "partner": request.partner,
        "customer": request.customer,
        **context,
    }
    with translation.override(page_language(request)):
        subject = render_to_string(f"signing/email/{name}_subject.txt", context)
        body = render_to_string(f"signing/email/{name}_body.txt", context)
    return Email(to=request.email, subject=" ".join(subject.split()), body=body.strip() + "\n")


def link_email(request: SigningRequest, link: str) -> Email:
    return _render(
        request,
        "link",
        {"link": link, "expires_on": timezone.localtime(request.expires_at).date()},
    )


def code_email(request: SigningRequest, code: str) -> Email:
    return _render(request, "code", {"code": code})
