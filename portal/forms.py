from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from portal.models import Partner

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


# A web address's and an email's errors cite an example, as the phone's does.
WEBSITE_INVALID = _("Enter a valid web address, for example https://www.contoso.example.")
CONTACT_EMAIL_INVALID = _("Enter a valid email address, for example support@contoso.example.")


class WebsiteField(forms.URLField):
    """A web address (http or https only: pages link to it), optional; a bare domain gets
    https://."""

    default_validators = [URLValidator(schemes=["http", "https"])]

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Website (optional)"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("help_text", _("For example https://www.contoso.example."))
        super().__init__(**kwargs)
        self.error_messages["invalid"] = WEBSITE_INVALID


class PartnerContactForm(forms.ModelForm):
    """Partner profile: how the partner's customers reach it. Only the contact fields: the
    name, partner ID, kind and country are shown, never posted."""

    contact_email = forms.EmailField(
        label=_("Contact email (optional)"),
        required=False,
        max_length=254,
        help_text=_("An address your customers can write to, for example support@contoso.example."),
        error_messages={"invalid": CONTACT_EMAIL_INVALID},
    )
    contact_phone = ContactPhoneField()
    website = WebsiteField()

    class Meta:
        model = Partner
        fields = ["contact_email", "contact_phone", "website"]

    def changed_values(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in self.fields}
