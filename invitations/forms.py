"""Partner-side invitation forms, and New customer's (A1/B1), whose agreement section
either attests or invites."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from agreements.forms import RecordedVersionMixin, date_accepted_field, version_field
from agreements.services import Contact
from customers import selectors
from customers.forms import CustomerAccountForm
from customers.models import Customer
from customers.services import normalise_domain
from invitations.models import InvitationKind


class ExistingCustomerForm(forms.Form):
    """B2 with a customer the partner already has: found by its domain, scoped to the agent."""

    domain = forms.CharField(
        label=_("Customer's domain"),
        max_length=80,
        help_text=_("For example contoso.onmicrosoft.com, or just contoso."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.customer: Customer | None = None

    def clean_domain(self) -> str:
        domain = normalise_domain(self.cleaned_data["domain"])
        # Only the partner's own customers: a provider doesn't invite for its resellers.
        self.customer = (
            selectors.customers_for(self.user)
            .filter(domain=domain, relationships__partner_id=self.user.partner_id)
            .first()
        )
        if self.customer is None:
            raise forms.ValidationError(
                _(
                    "None of your customers uses the domain %(domain)s. "
                    "Check the spelling, or add it as a new customer below."
                ),
                params={"domain": domain},
                code="unknown",
            )
        return domain


class NewInviteeForm(CustomerAccountForm):
    """B2 for a customer new to the portal: just what its tenant and the email need."""

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


class ComposeForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(
        label=_("Message"), max_length=10000, widget=forms.Textarea(attrs={"rows": 16})
    )

    def clean_subject(self) -> str:
        subject = self.cleaned_data["subject"]
        # A line break in a header would let the sender add headers of its own.
        if "\n" in subject or "\r" in subject:
            raise forms.ValidationError(_("The subject must be a single line."), code="newline")
        return subject


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

    contact_phone = PhoneNumberField(
        label=_("Phone number (optional)"),
        required=False,
        help_text=_("In international format, for example +420 601 123 456."),
    )
    agreement = forms.ChoiceField(
        label=_("Microsoft Customer Agreement"),
        choices=AgreementChoice.CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the customer accepts the agreement.")},
    )
    date_agreed = date_accepted_field(required=False)
    accepted_by_other = forms.BooleanField(
        label=_("Update: someone other than the primary contact accepted"), required=False
    )
    accepted_first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    accepted_last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    accepted_email = forms.EmailField(label=_("Email address"), max_length=254, required=False)
    accepted_phone = PhoneNumberField(label=_("Phone number (optional)"), required=False)
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
