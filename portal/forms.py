from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

# One example, in the help and in the error alike (the library's own error cites a US number).
PHONE_HELP = _("In international format, for example +420 601 123 456.")
PHONE_INVALID = _(
    "Enter a valid phone number in international format, for example +420 601 123 456."
)


class ContactPhoneField(PhoneNumberField):
    """A contact's phone number, optional, in international format: every form that asks for
    one (attesting, New customer, Edit details, bulk rows)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Phone number (optional)"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", PHONE_HELP)
        super().__init__(**kwargs)
        self.error_messages["invalid"] = PHONE_INVALID


class AgentSignInForm(AuthenticationForm):
    """Partner Center sign-in: agents only; customer admins use the admin center."""

    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Enter a correct email address and password."),
        "not_agent": _(
            "This sign-in is for partner agents. Customer admins sign in at the admin center."
        ),
        "operator": _("This sign-in is for partner agents. Operators sign in at /admin/."),
    }

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not user.partner_id:
            code = "operator" if user.is_staff and not user.customer_id else "not_agent"
            raise forms.ValidationError(self.error_messages[code], code=code)
