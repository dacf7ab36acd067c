"""Forms for the partner's customer pages: search, new customer (A1) and attestation (A2)."""

from __future__ import annotations

import json
import uuid

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from phonenumber_field.formfields import PhoneNumberField

from agreements.models import AgreementDocument
from agreements.services import Contact
from agreements.validators import portal_today, validate_not_in_future
from customers.models import AgreementStatus, Customer, CustomerLanguage, domain_validator

DOMAIN_SUFFIX = ".onmicrosoft.com"

# The customer's language when the agent doesn't choose one: the country's, where we have it.
COUNTRY_LANGUAGES = {
    "CZ": CustomerLanguage.CZECH,
    "DE": CustomerLanguage.GERMAN,
    "AT": CustomerLanguage.GERMAN,
    "LI": CustomerLanguage.GERMAN,
}


def language_for_country(country: str | None) -> str:
    return str(COUNTRY_LANGUAGES.get(str(country or "").upper(), CustomerLanguage.ENGLISH))


class AgreementChoice:
    ATTESTED = "attested"
    INVITE = "invite"

    CHOICES = [
        (ATTESTED, _("The customer has accepted the Microsoft Customer Agreement")),
        (
            INVITE,
            _("The customer will accept the Microsoft Customer Agreement in the admin center"),
        ),
    ]


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


def normalise_domain(value: str) -> str:
    """Accept either the name alone or the full name.onmicrosoft.com domain."""
    value = value.strip().lower()
    if value.endswith(DOMAIN_SUFFIX):
        value = value[: -len(DOMAIN_SUFFIX)]
    return value + DOMAIN_SUFFIX


def domain_problem(domain: str) -> str | None:
    """Why a full domain can't be used, or None when it is free and well formed."""
    try:
        domain_validator(domain)
    except forms.ValidationError as error:
        return str(error.messages[0])
    if Customer.objects.filter(domain=domain).exists():
        return str(_("The domain %(domain)s is already taken. Choose another name.")) % {
            "domain": domain
        }
    return None


def country_problem(country) -> str | None:
    """Why a new customer can't be in this country, or None: with no agreement published
    there, it could neither accept one nor have its acceptance recorded (so never order)."""
    if AgreementDocument.objects.latest_for(str(country)) is None:
        return str(
            _(
                "No Microsoft Customer Agreement is published for this country yet, so the "
                "customer can neither accept it nor have its acceptance recorded. Ask an "
                "operator to publish it."
            )
        )
    return None


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
        self.fields["country"].choices = [("", _("Any country")), *countries]

    def filter(self, relationships: QuerySet) -> QuerySet:
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

    def clean_country(self):
        country = self.cleaned_data["country"]
        # Attested or invited, a customer there could never have an acceptance on record.
        if problem := country_problem(country):
            raise forms.ValidationError(problem, code="no_agreement")
        return country


class NewCustomerForm(CustomerAccountForm):
    """Account info and the Microsoft Customer Agreement section of a new customer (A1).

    The person who accepted defaults to the primary contact; ticking
    *accepted_by_other* makes the accepted-by fields count instead, so the form
    works the same with and without JavaScript.
    """

    contact_phone = PhoneNumberField(
        label=_("Phone number (optional)"),
        required=False,
        help_text=_("In international format, for example +420 601 123 456."),
    )
    agreement = forms.ChoiceField(
        label=_("Microsoft Customer Agreement"),
        choices=AgreementChoice.CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the customer accepts the agreement.")},
    )
    date_agreed = date_accepted_field(required=False)
    accepted_by_other = forms.BooleanField(
        label=_("Update: someone other than the primary contact accepted"), required=False
    )
    accepted_first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    accepted_last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    accepted_email = forms.EmailField(label=_("Email address"), max_length=254, required=False)
    accepted_phone = PhoneNumberField(label=_("Phone number (optional)"), required=False)

    class Meta(CustomerAccountForm.Meta):
        fields = [*CustomerAccountForm.Meta.fields, "contact_phone"]

    def __init__(self, *args, may_attest: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_attest:
            # R3: an indirect reseller's customers accept in the admin center or via the provider.
            self.fields["agreement"].choices = [
                choice for choice in AgreementChoice.CHOICES if choice[0] == AgreementChoice.INVITE
            ]
        self.fields["domain"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false", "data-domain-check": "true"}
        )
        for name in ("contact_first_name", "accepted_first_name"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean(self):
        data = super().clean()
        if data.get("agreement") != AgreementChoice.ATTESTED:
            return data
        if not data.get("date_agreed") and "date_agreed" not in self.errors:
            self.add_error("date_agreed", _("Enter the date the customer accepted the agreement."))
        if data.get("accepted_by_other"):
            required = {
                "accepted_first_name": _("Enter the first name of the person who accepted."),
                "accepted_last_name": _("Enter the last name of the person who accepted."),
                "accepted_email": _("Enter the email address of the person who accepted."),
            }
            for name, message in required.items():
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data

    @property
    def attests(self) -> bool:
        return self.cleaned_data.get("agreement") == AgreementChoice.ATTESTED

    def accepted_by(self) -> Contact:
        """The person who accepted: the primary contact unless *Update* was used."""
        data = self.cleaned_data
        if data.get("accepted_by_other"):
            return Contact(
                data["accepted_first_name"],
                data["accepted_last_name"],
                data["accepted_email"],
                data.get("accepted_phone") or "",
            )
        return Contact(
            data["contact_first_name"],
            data["contact_last_name"],
            data["contact_email"],
            data.get("contact_phone") or "",
        )
