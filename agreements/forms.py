from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField


class CountryChoiceForm(forms.Form):
    country = LazyTypedChoiceField(label=_("Country"), choices=countries)
