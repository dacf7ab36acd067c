from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alerts.models import WEBHOOK_EVENTS, Delivery, Event
from alerts.webhooks import url_problem


class PreferencesForm(forms.Form):
    """One choice per event, each a select labelled by the event."""

    def __init__(self, *args, initial_choices: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Event.choices:
            if value not in initial_choices:
                continue
            self.fields[value] = forms.ChoiceField(
                label=label,
                choices=Delivery.choices,
                initial=initial_choices[value],
                widget=forms.Select(attrs={"class": "form-select"}),
            )


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where the portal POSTs the events: https:// and a public address."),
        widget=forms.URLInput(attrs={"autocomplete": "off"}),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        help_text=_("What receives the events, e.g. “PSA ticketing”."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(value, Event(value).label) for value in WEBHOOK_EVENTS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        problem = url_problem(url)
        if problem:
            raise forms.ValidationError(problem)
        return url
