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
    }

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not user.partner_id:
            raise forms.ValidationError(self.error_messages["not_agent"], code="not_agent")
