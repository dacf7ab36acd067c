"""Agreement forms: the country chooser (A4), and who accepted and when (A2, the order
prompt and the new customer's agreement section)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from phonenumber_field.formfields import PhoneNumberField

from agreements.services import Contact
from agreements.validators import portal_today, validate_not_in_future


class CountryChoiceForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Per request, so the names and their order follow the active language.
        cast(forms.ChoiceField, self.fields["country"]).choices = list(countries)


class DateAcceptedInput(forms.DateInput):
    """A native date picker whose maximum is today in the portal's time zone (R1)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["max"] = portal_today().isoformat()
        return context


def date_accepted_field(required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=_("Date the agreement was accepted"),
        required=required,
        widget=DateAcceptedInput(),
        input_formats=["%Y-%m-%d", "%d.%m.%Y", "%m/%d/%Y"],
        validators=[validate_not_in_future],
        error_messages={"invalid": _("Enter a valid date, for example 2026-01-31.")},
        help_text=_("This can't be a future date."),
    )


class AttestationForm(forms.Form):
    """Who accepted the Microsoft Customer Agreement, and when (A2 and the order prompt)."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("Email address"), max_length=254)
    phone = PhoneNumberField(
        label=_("Phone number (optional)"),
        required=False,
        help_text=_("In international format, for example +420 601 123 456."),
    )
    date_agreed = date_accepted_field()

    def contact(self) -> Contact:
        data = self.cleaned_data
        return Contact(data["first_name"], data["last_name"], data["email"], data["phone"] or "")
