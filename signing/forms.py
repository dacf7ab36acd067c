"""Starting a signing request (the agent), the framing origins (the partner's admin), and the
signing page's code, accept and decline forms (the signatory)."""

from __future__ import annotations

import re
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from phonenumber_field.formfields import PhoneNumberField

from agreements.models import AgreementDocument
from signing.models import DEFAULT_EXPIRY_DAYS, MAX_EXPIRY_DAYS
from signing.services import Signatory

# scheme://host[:port], nothing after: what CSP frame-ancestors takes as a source.
ORIGIN = re.compile(r"^https?://(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?$")
MAX_ORIGINS = 20


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
        label=_("Origins allowed to embed the signing page"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_(
            "One origin a line, such as https://www.example.com. Leave it empty and no site "
            "may embed it."
        ),
    )

    def clean_allowed_origins(self) -> str:
        lines = [
            line.strip().rstrip("/") for line in self.cleaned_data["allowed_origins"].splitlines()
        ]
        origins = [line for line in lines if line]
        wrong = [origin for origin in origins if not ORIGIN.match(origin)]
        if wrong:
            raise ValidationError(
                _("Not an origin (scheme://host[:port], nothing after): %(origins)s")
                % {"origins": ", ".join(wrong)}
            )
        if len(origins) > MAX_ORIGINS:
            raise ValidationError(_("At most %(count)s origins.") % {"count": MAX_ORIGINS})
        return "\n".join(dict.fromkeys(origins))


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
