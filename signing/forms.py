"""Starting a signing request (the agent), the framing origins (the partner's admin), and the
signing page's code, accept and decline forms (the signatory)."""

from __future__ import annotations

import re
from typing import cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from phonenumber_field.formfields import PhoneNumberField

from agreements.models import AgreementDocument
from signing.models import DEFAULT_EXPIRY_DAYS, MAX_EXPIRY_DAYS
from signing.services import Signatory

# A host name (or IPv4 address) as CSP frame-ancestors takes it, without wildcards.
HOST = re.compile(r"^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$")
# Plain http only for these, and only while developing (DEBUG): the signatory's answer is
# legal evidence, so a page that frames it must not be open to tampering on the way.
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1"})
# What follows scheme://: the address, then any path, query or fragment.
ADDRESS_AND_AFTER = re.compile(r"^([^/?#]*)(.*)$", re.DOTALL)
MAX_ORIGINS = 20


def _origin(line: str) -> str:
    """The line as an origin, scheme://host[:port] in lower case, or ValidationError saying in
    plain words what is wrong with it. Each site exactly: a wildcard would let every subdomain,
    including one a third party hosts, frame the signing page."""
    example = "https://www.example.com"
    if any(character.isspace() for character in line):
        raise ValidationError(gettext("write one web address a line, without spaces."))
    if "*" in line:
        raise ValidationError(
            gettext(
                "wildcards (*) are not allowed. List each site on its own line, such as "
                "https://shop.example.com."
            )
        )
    scheme, separator, rest = line.partition("://")
    scheme = scheme.lower()
    if not separator or scheme not in ("https", "http"):
        raise ValidationError(
            gettext("start it with https://, such as %(example)s.") % {"example": example}
        )
    address, after = ADDRESS_AND_AFTER.match(rest).groups()  # type: ignore[union-attr]
    if after not in ("", "/"):
        raise ValidationError(
            gettext(
                "give only the site's address, without a page or anything after it, such as "
                "%(example)s."
            )
            % {"example": example}
        )
    host, colon, port = address.lower().partition(":")
    try:  # a name in another script, as CSP wants it: https://xn--pklad-zsa96e.cz
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        host = ""
    if "@" in address or not HOST.match(host):
        raise ValidationError(
            gettext("this is not a web address, such as %(example)s.") % {"example": example}
        )
    if colon and not (port.isdigit() and 1 <= int(port) <= 65535):
        raise ValidationError(gettext("the port after the colon must be a number from 1 to 65535."))
    if scheme == "http" and not (settings.DEBUG and host in LOCAL_HOSTS):
        raise ValidationError(
            gettext(
                "use https://. A site on plain http:// may not embed the signing page, as what "
                "it shows could be changed on the way."
            )
        )
    return f"{scheme}://{host}{colon}{port}"


def clean_origins(text: str) -> str:
    """The origins that may frame the signing page, one a line, from what the partner's admin
    typed: blank lines and a trailing slash are ignored; every other fault is refused whole,
    each wrong line named with its number (a repeated one too, rather than quietly dropped)."""
    origins: list[str] = []
    first_line: dict[str, int] = {}
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            origin = _origin(line)
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            if origin in first_line:
                problem = gettext("it repeats line %(line)s. List each site once.") % {
                    "line": first_line[origin]
                }
            else:
                first_line[origin] = number
                origins.append(origin)
                continue
        problems.append(
            gettext("Line %(line)s (“%(text)s”): %(problem)s")
            % {"line": number, "text": Truncator(line).chars(80), "problem": problem}
        )
    if problems:
        raise ValidationError(problems)
    if len(origins) > MAX_ORIGINS:
        raise ValidationError(
            gettext("At most %(count)s sites may embed the signing page; you listed %(given)s.")
            % {"count": MAX_ORIGINS, "given": len(origins)}
        )
    return "\n".join(origins)


def document_choice(document: AgreementDocument) -> str:
    return f"{document.country.code}:{document.language}"


class StartSigningForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("Email address"), max_length=254)
    phone = PhoneNumberField(label=_("Phone number (optional)"), required=False)
    job_title = forms.CharField(label=_("Job title (optional)"), max_length=100, required=False)
    agreement = forms.ChoiceField(
        label=_("Agreement country and language"),
        help_text=_("The version in force, in the languages published for each country."),
    )
    expires_in_days = forms.IntegerField(
        label=_("Link valid for (days)"),
        min_value=1,
        max_value=MAX_EXPIRY_DAYS,
        initial=DEFAULT_EXPIRY_DAYS,
    )
    on_record_acknowledged = forms.BooleanField(
        label=_("Send the link anyway: the signatory accepts this version again"),
        required=False,
    )

    def __init__(self, *args, documents: list[AgreementDocument], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.documents = {document_choice(d): d for d in documents}
        labelled = sorted(
            (f"{countries.name(d.country.code)} — {d.language} (v{d.template.version_rank})", key)
            for key, d in self.documents.items()
        )
        cast(forms.ChoiceField, self.fields["agreement"]).choices = [
            (key, label) for label, key in labelled
        ]

    def clean_agreement(self) -> AgreementDocument:
        return self.documents[self.cleaned_data["agreement"]]

    def signatory(self) -> Signatory:
        data = self.cleaned_data
        return Signatory(
            data["first_name"],
            data["last_name"],
            data["email"],
            data["phone"] or "",
            data["job_title"],
        )


class FramingForm(forms.Form):
    allowed_origins = forms.CharField(
        label=_("Sites that may embed the signing page"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_(
            "One site address a line, such as https://www.example.com or "
            "https://shop.example.com:8443: https only, no page after the address, no "
            "wildcards (list each subdomain on its own line). Leave it empty and no site may "
            "embed it."
        ),
    )

    def clean_allowed_origins(self) -> str:
        return clean_origins(self.cleaned_data["allowed_origins"])


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the email"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise ValidationError(_("The code is six digits."))
        return code


class AcceptForm(forms.Form):
    proof = forms.CharField(widget=forms.HiddenInput, max_length=100)
    phone = PhoneNumberField(label=_("Phone number (optional)"), required=False)
    job_title = forms.CharField(label=_("Job title (optional)"), max_length=100, required=False)
    confirm = forms.BooleanField(
        label=_(
            "I have read the Microsoft Customer Agreement and accept it on behalf of the customer."
        ),
    )
    typed_signature = forms.CharField(
        label=_("Type your full name as your signature"), max_length=200
    )


class DeclineForm(forms.Form):
    proof = forms.CharField(widget=forms.HiddenInput, max_length=100)
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
