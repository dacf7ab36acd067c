from __future__ import annotations

from django import forms

from alerts.models import Delivery, Event


class PreferencesForm(forms.Form):
    """One choice per event, each a select labelled by the event."""

    def __init__(self, *args, initial_choices: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Event.choices:
            self.fields[value] = forms.ChoiceField(
                label=label,
                choices=Delivery.choices,
                initial=initial_choices[value],
                widget=forms.Select(attrs={"class": "form-select"}),
            )
