from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from customers.forms import CustomerAccountForm, normalise_domain
from customers.models import Customer
from invitations.models import OPEN_STATUSES, InvitationKind, InvitationStatus
from portal import permissions


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
            permissions.customers_for(self.user)
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


class InvitationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *InvitationStatus.choices],
    )

    def filter(self, invitations):
        """Expired is not stored: it is an open invitation past its expiry."""
        if not self.is_valid() or not self.cleaned_data["status"]:
            return invitations
        status = self.cleaned_data["status"]
        if status == InvitationStatus.EXPIRED:
            return invitations.lapsed()
        if status in OPEN_STATUSES:
            return invitations.live().filter(status=status)
        return invitations.filter(status=status)


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


class AcceptForm(forms.Form):
    """Nothing is pre-ticked: the customer ticks each thing it agrees to."""

    accept_relationship = forms.BooleanField(required=False)
    accept_agreement = forms.BooleanField(required=False)

    def __init__(self, *args, invitation, block, **kwargs):
        super().__init__(*args, **kwargs)
        partner = invitation.partner.name
        self.fields["accept_relationship"].label = _(
            "I accept %(partner)s as our reseller (reseller relationship)."
        ) % {"partner": partner}
        self.fields["accept_agreement"].label = _(
            "I have read the Microsoft Customer Agreement and accept it on behalf of %(company)s"
        ) % {"company": invitation.customer.company_name}
        if block.blocked:
            del self.fields["accept_agreement"]
        else:
            self.fields["accept_agreement"].required = True
        if not invitation.asks_for_relationship or (
            block.blocked and not block.relationship_allowed
        ):
            del self.fields["accept_relationship"]
        else:
            self.fields["accept_relationship"].required = True
        for field in self.fields.values():
            field.error_messages["required"] = _("Tick this box to accept.")


class RelationshipRequestForm(forms.Form):
    """The partner's standing link asks for the reseller relationship alone; never pre-ticked."""

    accept_relationship = forms.BooleanField(
        required=True, error_messages={"required": _("Tick this box to accept.")}
    )

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accept_relationship"].label = _(
            "I accept %(partner)s as our reseller (reseller relationship)."
        ) % {"partner": partner.name}


class CustomerPasswordChangeForm(PasswordChangeForm):
    """The admin center's password change: the password the partner handed over (and may
    have emailed) can't be kept by typing it again as the new one."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "same_as_temporary": _(
            "Your partner knows the temporary password, so you can't keep it. "
            "Choose a different password."
        ),
        "same_as_current": _("Choose a password different from your current one."),
    }

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        if user.must_change_password:
            self.fields["old_password"].label = _("Temporary password")

    @sensitive_variables("password")
    def clean_new_password1(self) -> str:
        password = self.cleaned_data["new_password1"]
        if self.user.check_password(password):
            code = "same_as_temporary" if self.user.must_change_password else "same_as_current"
            raise forms.ValidationError(self.error_messages[code], code=code)
        return password
