"""Partner-side invitation forms, and New customer's (A1/B1), whose agreement section
either attests or invites."""

from __future__ import annotations

import re
import uuid
from typing import cast

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from agreements.forms import (
    RecordedVersionMixin,
    agreement_language_field,
    date_accepted_field,
    version_field,
)
from agreements.services import Contact
from customers.forms import CustomerAccountForm
from customers.models import Customer, Relationship
from customers.services import normalise_domain
from invitations.models import MAX_COPIES, InvitationKind
from portal.forms import ContactPhoneField


class ExistingCustomerForm(forms.Form):
    """B2 with a tenant already in the portal, found by its domain or tenant ID: one of the
    partner's own customers, or a tenant that works with other partners only. For the latter
    the agent names who receives the request: the portal reveals nothing of the tenant beyond
    its name (no contact, address or partner), so the email goes where the agent says."""

    domain = forms.CharField(
        label=_("Customer's domain or tenant ID"),
        max_length=80,
        help_text=_("For example contoso.onmicrosoft.com, or just contoso, or the tenant ID."),
    )
    recipient_email = forms.EmailField(
        label=_("Send the request to (email address)"),
        max_length=254,
        required=False,
        help_text=_(
            "Needed when the tenant is not your customer yet: the person at the customer "
            "who should receive the request."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.customer: Customer | None = None
        # The tenant is not the partner's customer (yet): it gets relationship + agreement.
        self.new_to_partner = False

    def clean_domain(self) -> str:
        raw = self.cleaned_data["domain"].strip()
        tenant_id = _tenant_id(raw)
        found = (
            Customer.objects.filter(tenant_id=tenant_id)
            if tenant_id
            else Customer.objects.filter(domain=normalise_domain(raw))
        )
        self.customer = found.first()
        if self.customer is None:
            raise forms.ValidationError(
                _(
                    "No customer tenant uses %(domain)s. Check the spelling, or add it as a "
                    "new customer."
                ),
                params={"domain": raw if tenant_id else normalise_domain(raw)},
                code="unknown",
            )
        # Only the partner's own relationship makes it "one of your customers": a provider
        # asks its resellers' customers for a relationship of its own.
        self.new_to_partner = not Relationship.objects.filter(
            customer=self.customer, partner_id=self.user.partner_id
        ).exists()
        return self.customer.domain

    def clean(self):
        data = super().clean()
        if data is None:  # Form.clean() may return None, meaning "keep self.cleaned_data"
            data = self.cleaned_data
        if (
            self.new_to_partner
            and not data.get("recipient_email")
            and ("recipient_email" not in self.errors)
        ):
            self.add_error(
                "recipient_email",
                forms.ValidationError(
                    _(
                        "This tenant is not your customer yet. Enter the email address of the "
                        "person at the customer who should receive the request."
                    ),
                    code="recipient_required",
                ),
            )
        return data


def _tenant_id(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


class NewInviteeForm(CustomerAccountForm):
    """B2 for a customer new to the portal: just what its tenant and the email need."""

    def clean_domain(self) -> str:
        domain = normalise_domain(self.cleaned_data["domain"])
        if Customer.objects.filter(domain=domain).exists():
            # Not a dead end: the tenant exists, so it is asked as an existing tenant.
            raise forms.ValidationError(
                _(
                    "A tenant already uses %(domain)s. If it is this customer, ask it under "
                    '"An existing tenant" with its domain instead.'
                ),
                params={"domain": domain},
                code="domain",
            )
        return super().clean_domain()

    class Meta(CustomerAccountForm.Meta):
        labels = {
            **CustomerAccountForm.Meta.labels,
            "language": _("Language of the email"),
            "contact_first_name": _("Contact's first name"),
            "contact_last_name": _("Contact's last name"),
            "contact_email": _("Contact's email address"),
        }


class InviteKindForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[
            (InvitationKind.EXISTING_CUSTOMER, InvitationKind.EXISTING_CUSTOMER.label),
            (InvitationKind.RESELLER_RELATIONSHIP, InvitationKind.RESELLER_RELATIONSHIP.label),
        ]
    )


def _split_addresses(value: str) -> list[str]:
    return [part for part in re.split(r"[\s,;]+", value or "") if part]


class ComposeForm(forms.Form):
    """The invitation email as the agent edits it: to whom (the customer's contact unless
    changed), copies, subject and message."""

    # Empty: the customer's primary contact (the address the composer starts with).
    to = forms.EmailField(label=_("To"), max_length=254, required=False)
    cc = forms.CharField(
        label=_("CC (optional)"),
        required=False,
        max_length=2000,
    )
    subject = forms.CharField(label=_("Subject"), max_length=300)

    body = forms.CharField(
        label=_("Message"), max_length=10000, widget=forms.Textarea(attrs={"rows": 16})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cc"].help_text = _("Up to %(count)s addresses, separated by commas.") % {
            "count": MAX_COPIES
        }
        self.fields["to"].widget.attrs["autocomplete"] = "email"
        self.fields["cc"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def clean_subject(self) -> str:
        subject = self.cleaned_data["subject"]
        # A line break in a header would let the sender add headers of its own.
        if "\n" in subject or "\r" in subject:
            raise forms.ValidationError(_("The subject must be a single line."), code="newline")
        return subject

    def clean_cc(self) -> list[str]:
        addresses = _split_addresses(self.cleaned_data["cc"])
        invalid = []
        for address in addresses:
            try:
                validate_email(address)
            except forms.ValidationError:
                invalid.append(address)
        if invalid:
            raise forms.ValidationError(
                _("These are not valid email addresses: %(addresses)s"),
                params={"addresses": ", ".join(invalid)},
                code="invalid",
            )
        copies: list[str] = []
        for address in addresses:
            if address.lower() not in {copy.lower() for copy in copies}:
                copies.append(address)
        if len(copies) > MAX_COPIES:
            raise forms.ValidationError(
                _("Send copies to at most %(count)s addresses."),
                params={"count": MAX_COPIES},
                code="too_many",
            )
        return copies


class AgreementChoice:
    ATTESTED = "attested"
    INVITE = "invite"

    CHOICES = [
        (ATTESTED, _("The customer has accepted the Microsoft Customer Agreement")),
        (
            INVITE,
            _("The customer will accept the Microsoft Customer Agreement in the admin center"),
        ),
    ]


class NewCustomerForm(RecordedVersionMixin, CustomerAccountForm):
    """Account info and the Microsoft Customer Agreement section of a new customer (A1).

    The person who accepted defaults to the primary contact; ticking
    *accepted_by_other* makes the accepted-by fields count instead, so the form
    works the same with and without JavaScript. An attestation records the latest version
    published for the chosen country, or the one in force on an earlier date if the agent
    chooses it (RecordedVersionMixin).
    """

    contact_phone = ContactPhoneField()
    agreement = forms.ChoiceField(
        label=_("Microsoft Customer Agreement"),
        choices=AgreementChoice.CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the customer accepts the agreement.")},
    )
    date_agreed = date_accepted_field(when_attesting=True)
    accepted_by_other = forms.BooleanField(
        label=_("Update: someone other than the primary contact accepted"), required=False
    )
    accepted_first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    accepted_last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    accepted_email = forms.EmailField(label=_("Email address"), max_length=254, required=False)
    accepted_phone = ContactPhoneField()
    agreement_language = agreement_language_field()
    version = version_field()
    record_version = version_field()

    class Meta(CustomerAccountForm.Meta):
        fields = [*CustomerAccountForm.Meta.fields, "contact_phone"]

    def __init__(self, *args, may_attest: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_attest:
            # R3: an indirect reseller's customers accept in the admin center or via the provider.
            cast(forms.ChoiceField, self.fields["agreement"]).choices = [
                choice for choice in AgreementChoice.CHOICES if choice[0] == AgreementChoice.INVITE
            ]
        self.fields["domain"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false", "data-domain-check": "true"}
        )
        for name in ("contact_first_name", "accepted_first_name"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.init_versions()
        # The country is chosen on this very form: every published language is offered, and
        # clean() holds the choice to the chosen country's.
        self.init_languages(None, None)

    def clean(self):
        data = super().clean()
        if data.get("agreement") != AgreementChoice.ATTESTED:
            return data
        if not data.get("date_agreed") and "date_agreed" not in self.errors:
            self.add_error("date_agreed", _("Enter the date the customer accepted the agreement."))
        self.clean_recorded_version(str(data["country"]) if data.get("country") else None)
        if data.get("accepted_by_other"):
            required = {
                "accepted_first_name": _("Enter the first name of the person who accepted."),
                "accepted_last_name": _("Enter the last name of the person who accepted."),
                "accepted_email": _("Enter the email address of the person who accepted."),
            }
            for name, message in required.items():
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data

    @property
    def attests(self) -> bool:
        return self.cleaned_data.get("agreement") == AgreementChoice.ATTESTED

    def accepted_by(self) -> Contact:
        """The person who accepted: the primary contact unless *Update* was used."""
        data = self.cleaned_data
        if data.get("accepted_by_other"):
            return Contact(
                data["accepted_first_name"],
                data["accepted_last_name"],
                data["accepted_email"],
                data.get("accepted_phone") or "",
            )
        return Contact(
            data["contact_first_name"],
            data["contact_last_name"],
            data["contact_email"],
            data.get("contact_phone") or "",
        )
