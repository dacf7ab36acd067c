from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries


class CountryChoiceForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Per request, so the names and their order follow the active language.
        self.fields["country"].choices = list(countries)
