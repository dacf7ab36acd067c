from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


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
