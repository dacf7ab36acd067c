"""Forms for the partner's customer pages: search, and the account info every new customer shares."""

from __future__ import annotations

import json
import uuid
from typing import cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from customers.models import AgreementStatus, Customer, CustomerLanguage, RelationshipQuerySet
from customers.services import (
    COUNTRY_LANGUAGES,
    country_problem,
    domain_problem,
    language_for_country,
    normalise_domain,
)


class CustomerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Company name or domain (beginning), or the exact tenant ID."),
    )
    status = forms.ChoiceField(
        label=_("Agreement status"),
        required=False,
        choices=[("", _("Any status")), *AgreementStatus.choices],
    )
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=[("", _("Any country"))]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Per request, so the names and their order follow the active language.
        cast(forms.ChoiceField, self.fields["country"]).choices = [("", _("Any country")), *countries]

    def filter(self, relationships: RelationshipQuerySet) -> RelationshipQuerySet:
        """Narrow a Relationship queryset in the database, using indexed prefix lookups."""
        if not self.is_valid():
            return relationships
        query = self.cleaned_data["q"].strip()
        if query:
            try:
                tenant_id = uuid.UUID(query)
            except ValueError:
                relationships = relationships.filter(
                    Q(customer__company_name__istartswith=query)
                    | Q(customer__domain__startswith=query.lower())
                )
            else:
                relationships = relationships.filter(customer__tenant_id=tenant_id)
        if self.cleaned_data["status"]:
            relationships = relationships.with_agreement_status(self.cleaned_data["status"])
        if self.cleaned_data["country"]:
            relationships = relationships.filter(customer_country=self.cleaned_data["country"])
        return relationships


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
