"""The customer admin center's forms: accepting an invitation or a relationship, and the
first password change."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables


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


class DeclineForm(forms.Form):
    """Saying no to a partner's request; the reason is optional and the partner reads it."""

    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Your partner sees what you write here."),
    )


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
