"""Agreement forms: the country chooser (A4), and who accepted and when (A2, the order
prompt and the new customer's agreement section)."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django import forms
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from agreements.models import AgreementDocument, AgreementTemplate, AgreementType
from agreements.selectors import (
    documents_for,
    first_publication,
    pick_language,
    version_in_force,
)
from agreements.services import Contact
from agreements.validators import (
    portal_today,
    validate_agreed_on_or_after_publication,
    validate_not_in_future,
)
from portal.collation import active_country_choices
from portal.dates import message_date
from portal.forms import ContactPhoneField


class CountryChoiceForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Per request, so the names and their order follow the active language.
        cast(forms.ChoiceField, self.fields["country"]).choices = active_country_choices()


class DateAcceptedInput(forms.DateInput):
    """A native date picker whose maximum is today in the portal's time zone (R1)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["max"] = portal_today().isoformat()
        return context


class DateAcceptedWhenAttesting(forms.DateField):
    """The date on a form that attests only on a choice (New customer): starred as required,
    like the Update form's, but an empty one is the form's clean() to refuse, when attesting;
    the input carries no ``required``, which would stop the browser sending an invitation."""

    class Input(DateAcceptedInput):
        def use_required_attribute(self, initial) -> bool:
            return False

    def validate(self, value) -> None:
        if value not in self.empty_values:
            super().validate(value)


def date_accepted_field(required: bool = True, *, when_attesting: bool = False) -> forms.DateField:
    """``when_attesting``: required only when the form attests (DateAcceptedWhenAttesting)."""
    field_class = DateAcceptedWhenAttesting if when_attesting else forms.DateField
    widget = DateAcceptedWhenAttesting.Input() if when_attesting else DateAcceptedInput()
    return field_class(
        label=_("Date the agreement was accepted"),
        required=required or when_attesting,
        widget=widget,
        input_formats=["%Y-%m-%d", "%d.%m.%Y", "%m/%d/%Y"],
        validators=[validate_not_in_future],
        error_messages={"invalid": _("Enter a valid date, for example 2026-01-31.")},
        help_text=_("This can't be a future date."),
    )


def version_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=AgreementTemplate.objects.none(),
        to_field_name="template_id",
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _(
                "That version of the Microsoft Customer Agreement isn't published. Reload the "
                "page to record the latest version."
            )
        },
    )


def language_label(tag: str) -> str:
    """A document's language for a chooser: its name in the page's language, and the tag."""
    try:
        name = get_language_info(tag.split("-")[0].lower())["name_translated"]
    except KeyError:
        return tag
    return f"{name} ({tag})"


def agreement_language_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Language of the agreement"),
        required=False,
        help_text=_("The language of the document the customer read and accepted."),
    )


class RecordedVersionMixin:
    """The version an attestation records, and its date held to it.

    The page names the version (the latest published for the customer's country, or the one
    the agent chose). Where the date accepted comes before that version's publication, the
    date's error says which version was in force on that date, and the page offers a button,
    ``record_version``, that records that version instead; the agent may correct the date.
    The ``version`` field carries the version named on the page, so what is recorded is what
    the agent saw even if a newer version is published in between.
    """

    fields: dict
    cleaned_data: dict
    is_bound: bool
    add_error: Callable

    #: The version the page named and will record; set by clean_recorded_version.
    recorded: AgreementTemplate | None = None
    #: Offered where the date precedes the recorded version: the version in force then.
    suggested_version: AgreementTemplate | None = None

    def init_versions(self) -> None:
        published = AgreementTemplate.objects.published().filter(agreement_type=AgreementType.MCA)
        for name in ("version", "record_version"):
            cast(forms.ModelChoiceField, self.fields[name]).queryset = published

    def init_languages(self, country: str | None, preferred: str | None) -> None:
        """The languages of the agreement to offer: those published for the country's latest
        version, the customer's language first chosen; without a country yet (a new customer),
        every language published anywhere, after "the customer's language"."""
        field = cast(forms.ChoiceField, self.fields["agreement_language"])
        if country:
            documents = documents_for(country)
            field.choices = [(item.language, language_label(item.language)) for item in documents]
            chosen = pick_language(documents, preferred)
            if chosen is not None:
                field.initial = chosen.language
            return
        tags = sorted(
            set(
                AgreementDocument.objects.published()
                .filter(template__agreement_type=AgreementType.MCA)
                .values_list("language", flat=True)
            )
        )
        field.choices = [
            ("", _("The customer's language")),
            *[(tag, language_label(tag)) for tag in tags],
        ]

    def clean_language_for(self, country: str) -> None:
        """The chosen language must be published for the country in the recorded version."""
        language = self.cleaned_data.get("agreement_language")
        if not language or self.recorded is None:
            return
        documents = documents_for(country, self.recorded)
        if not any(item.language == language for item in documents):
            self.add_error(
                "agreement_language",
                _(
                    "Version %(version)s of the agreement is not published in %(language)s for "
                    "this country. Choose one of: %(languages)s."
                )
                % {
                    "version": self.recorded.version_rank,
                    "language": language,
                    "languages": ", ".join(item.language for item in documents) or "—",
                },
            )

    def latest_version(self, country: str) -> AgreementTemplate | None:
        document = AgreementDocument.objects.latest_for(country)
        return document.template if document is not None else None

    def clean_recorded_version(self, country: str | None) -> None:
        data = self.cleaned_data
        if not country:
            return
        self.recorded = (
            data.get("record_version") or data.get("version") or self.latest_version(country)
        )
        self.clean_language_for(country)
        date_agreed = data.get("date_agreed")
        if self.recorded is None or date_agreed is None:
            return
        try:
            validate_agreed_on_or_after_publication(date_agreed, self.recorded)
        except forms.ValidationError as error:
            self.suggested_version = version_in_force(country, date_agreed)
            self.add_error("date_agreed", error)
            self.add_error("date_agreed", self._in_force_hint(country, date_agreed))

    def _in_force_hint(self, country: str, date_agreed) -> forms.ValidationError:
        if self.suggested_version is not None:
            return forms.ValidationError(
                _(
                    "On %(date)s version %(version)s was in force: record version %(version)s "
                    "instead, or correct the date."
                ),
                code="version_in_force",
                params={
                    "date": message_date(date_agreed),
                    "version": self.suggested_version.version_rank,
                },
            )
        first = first_publication(country)
        return forms.ValidationError(
            _(
                "No version had been published for this country by %(date)s: the first was "
                "published on %(first)s. Correct the date."
            ),
            code="none_in_force",
            params={
                "date": message_date(date_agreed),
                "first": message_date(first) if first else "—",
            },
        )


class AttestationForm(RecordedVersionMixin, forms.Form):
    """Who accepted the Microsoft Customer Agreement, when, and which version (A2 and the
    order prompt); ``country`` is the customer's."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("Email address"), max_length=254)
    phone = ContactPhoneField()
    date_agreed = date_accepted_field()
    agreement_language = agreement_language_field()
    version = version_field()
    record_version = version_field()

    def __init__(self, *args, country: str, preferred_language: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.country = country
        self.init_versions()
        self.init_languages(country, preferred_language)
        if not self.is_bound:
            self.recorded = self.latest_version(country)

    def clean(self):
        data = super().clean()
        self.clean_recorded_version(self.country)
        return data

    def contact(self) -> Contact:
        data = self.cleaned_data
        return Contact(data["first_name"], data["last_name"], data["email"], data["phone"] or "")
