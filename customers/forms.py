"""Forms for the partner's customer pages: the account info every new customer shares, and a
quick <select> for long lists (the list's filters are customers.filters)."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import cast

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from customers.addresses import normal_postal_code, postal_code_problem
from customers.models import Customer, CustomerLanguage
from customers.regions import needs_state, state_choices, state_problem
from customers.services import (
    COUNTRY_LANGUAGES,
    EDITABLE_FIELDS,
    country_problem,
    domain_problem,
    language_for_country,
    normalise_domain,
)
from portal.collation import active_country_choices
from portal.forms import ContactPhoneField


def state_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("State (US addresses)"),
        choices=[("", _("Choose a state")), *state_choices("US")],
        required=False,
        help_text=_("Required for a customer in the United States."),
    )


# The language choice that stands for "the country's language" (resolved on the server).
COUNTRY_LANGUAGE = ""


def ui_language() -> str:
    """The customer language matching the portal's language now (Czech in the Czech UI)."""
    code = (get_language() or "en").split("-")[0]
    return code if code in CustomerLanguage.values else str(CustomerLanguage.ENGLISH)


def clean_state(form: forms.BaseForm, country: object, state: str) -> str:
    """A US address needs its state; any other country's address has none."""
    if not needs_state(country):
        return ""
    if problem := state_problem(country, state):
        form.add_error("state", problem)
    return state


def clean_postal_code(form: forms.BaseForm, country: object, data: dict) -> None:
    """A postal code of a country whose form is known is checked and written its way
    (customers.addresses), on the field, before the services check it again."""
    if "postal_code" not in data or not country:
        return
    if problem := postal_code_problem(country, data["postal_code"]):
        form.add_error("postal_code", problem)
    else:
        data["postal_code"] = normal_postal_code(country, data["postal_code"])


@lru_cache(maxsize=64)
def _options(choices: tuple[tuple[str, str], ...]) -> str:
    """The <option>s of ``choices``, none selected: escaped once per list of choices (a
    language's countries are the same ~250 on every page)."""
    return "".join(
        f'<option value="{escape(choice)}">{escape(label)}</option>' for choice, label in choices
    )


class OnePassSelect(forms.Select):
    """A flat <select> written in one pass, not a template per option: the customers list's
    ~250 countries took two thirds of the page's time through crispy's field templates."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        choices = tuple((str(choice), str(label)) for choice, label in self.choices)
        options = _options(choices)
        values = {choice for choice, _label in choices}
        for chosen in dict.fromkeys(self.format_value(value)):
            if chosen in values:
                marker = f'<option value="{escape(chosen)}">'
                options = options.replace(marker, marker[:-1] + " selected>", 1)
        final_attrs = self.build_attrs(self.attrs, attrs)
        return mark_safe(f'<select name="{escape(name)}"{flatatt(final_attrs)}>{options}</select>')


class OnePassTextInput(forms.TextInput):
    """Django's text input as its template writes it (type, name, value, then the attributes),
    in one pass: three templates on every customers list page."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        formatted = self.format_value(value)
        shown = "" if formatted is None else f' value="{escape(formatted)}"'
        final_attrs = self.build_attrs(self.attrs, attrs)
        return mark_safe(
            f'<input type="{self.input_type}" name="{escape(name)}"{shown}{flatatt(final_attrs)}>'
        )


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
            "state",
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
        cast(forms.ChoiceField, self.fields["country"]).choices = [
            ("", _("Choose a country")),
            *active_country_choices(),
        ]
        self.fields["state"] = state_field()
        self.fields["state"].widget.attrs["data-state-for"] = "US"
        # The first choice, and the one a page starts on: the country's language, resolved
        # here as the form is cleaned (clean()), so the language is right without JavaScript
        # too. language_follows_country.js shows the language it stands for (the portal's own
        # before a country is chosen, then the country's) until the agent picks one.
        language = cast(forms.ChoiceField, self.fields["language"])
        language.choices = [
            (COUNTRY_LANGUAGE, _("The country's language")),
            *CustomerLanguage.choices,
        ]
        language.required = False
        if not self.is_bound and "language" not in self.initial:
            self.initial["language"] = COUNTRY_LANGUAGE
        language.widget.attrs.update(
            {
                "data-country-languages": json.dumps(
                    {code: str(language) for code, language in COUNTRY_LANGUAGES.items()}
                ),
                "data-default-language": str(CustomerLanguage.ENGLISH),
                "data-portal-language": ui_language(),
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
        if "country" in data:
            data["state"] = clean_state(self, data["country"], data.get("state") or "")
            self.instance.state = data["state"]
            clean_postal_code(self, data["country"], data)
        return data

    def clean_domain(self) -> str:
        domain = normalise_domain(self.cleaned_data["domain"])
        problem = domain_problem(domain, name_only=True)
        if problem:
            raise forms.ValidationError(problem, code="domain")
        return domain

    def clean_country(self) -> str:
        country = self.cleaned_data["country"]
        # Attested or invited, a customer there could never have an acceptance on record.
        if problem := country_problem(country):
            raise forms.ValidationError(problem, code="no_agreement")
        return country


class CustomerDetailsForm(forms.ModelForm):
    """Account info → Edit details: what may be corrected after creation. The tenant ID,
    domain and country are not fields here, so no POST can change them."""

    contact_phone = ContactPhoneField()

    class Meta:
        model = Customer
        fields = list(EDITABLE_FIELDS)
        labels = {
            **CustomerAccountForm.Meta.labels,
            "contact_first_name": _("First name"),
            "contact_last_name": _("Last name"),
            "contact_email": _("Email address"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_state(self.instance.country):
            self.fields["state"] = state_field()
            self.fields["state"].label = _("State")
            self.fields["state"].required = True
            self.fields["state"].error_messages["required"] = _("Choose the state of a US address.")
        else:
            del self.fields["state"]

    def clean(self):
        data = super().clean()
        if data is None:
            data = self.cleaned_data
        if "state" in self.fields and "state" not in self.errors:
            data["state"] = clean_state(self, self.instance.country, data.get("state") or "")
        clean_postal_code(self, self.instance.country, data)
        return data

    def changed_values(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in self.fields}
