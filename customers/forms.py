"""Forms for the partner's customer pages: the account info every new customer shares, and a
quick <select> for long lists (the list's filters are customers.filters)."""

from __future__ import annotations

import json

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from customers.models import Customer, CustomerLanguage
from customers.services import (
    COUNTRY_LANGUAGES,
    country_problem,
    domain_problem,
    language_for_country,
    normalise_domain,
)


class OnePassSelect(forms.Select):
    """A flat <select> written in one pass, not a template per option: the customers list's
    ~250 countries took two thirds of the page's time through crispy's field templates."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        selected = set(self.format_value(value))
        options = "".join(
            f"<option value=\"{escape(choice)}\"{' selected' if str(choice) in selected else ''}>"
            f"{escape(label)}</option>"
            for choice, label in self.choices
        )
        final_attrs = self.build_attrs(self.attrs, attrs)
        return mark_safe(f"<select name=\"{escape(name)}\"{flatatt(final_attrs)}>{options}</select>")


class CustomerAccountForm(forms.ModelForm):
    """A new tenant's account info: the part every way of adding a customer shares."""

    domain = forms.CharField(
        label=_("Domain"),
        max_length=63,
        help_text=_("The name before .onmicrosoft.com: lower-case letters, digits and hyphens."),
    )

    class Meta:
        model = Customer
        fields = [
            "company_name",
            "domain",
            "country",
            "address_line1",
            "city",
            "postal_code",
            "language",
            "contact_first_name",
            "contact_last_name",
            "contact_email",
        ]
        labels = {
            "company_name": _("Company name"),
            "country": _("Country"),
            "address_line1": _("Address"),
            "city": _("City"),
            "postal_code": _("Postal code"),
            "language": _("Language"),
            "contact_first_name": _("First name"),
            "contact_last_name": _("Last name"),
            "contact_email": _("Email address"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out, the language follows the country; language_follows_country.js does the
        # same as the agent picks a country, until the agent picks a language.
        self.fields["language"].required = False
        self.fields["language"].widget.attrs.update(
            {
                "data-country-languages": json.dumps(
                    {code: str(language) for code, language in COUNTRY_LANGUAGES.items()}
                ),
                "data-default-language": str(CustomerLanguage.ENGLISH),
            }
        )

    def clean(self):
        data = super().clean()
        if data is None:  # Form.clean() may return None, meaning "keep self.cleaned_data"
            data = self.cleaned_data
        if not data.get("language") and "language" not in self.errors:
            data["language"] = language_for_country(data.get("country"))
            # The model form leaves an omitted field with a default alone, so set it here too.
            self.instance.language = data["language"]
        return data

    def clean_domain(self) -> str:
        domain = normalise_domain(self.cleaned_data["domain"])
        problem = domain_problem(domain)
        if problem:
            raise forms.ValidationError(problem, code="domain")
        return domain

    def clean_country(self) -> str:
        country = self.cleaned_data["country"]
        # Attested or invited, a customer there could never have an acceptance on record.
        if problem := country_problem(country):
            raise forms.ValidationError(problem, code="no_agreement")
        return country
