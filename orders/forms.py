"""Forms of the order flow: offers and quantities, and the filters of the order pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from orders.models import Offer, ProductType
from orders.services import MAX_QUANTITY
from portal.collation import active_country_choices


class OrderLinesForm(forms.Form):
    """One quantity per orderable offer; a blank or zero quantity leaves the offer out."""

    def __init__(self, *args, offers: Sequence[Offer], **kwargs):
        super().__init__(*args, **kwargs)
        self.offers = list(offers)
        for offer in self.offers:
            self.fields[self.field_name(offer)] = forms.IntegerField(
                label=offer.display_name,
                required=False,
                min_value=0,
                max_value=MAX_QUANTITY,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "form-control"}),
            )

    @staticmethod
    def field_name(offer: Offer) -> str:
        return f"quantity_{offer.pk}"

    def rows(self):
        """(offer, bound field) pairs, for a table with one row per offer."""
        return [(offer, self[self.field_name(offer)]) for offer in self.offers]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.lines():
            raise forms.ValidationError(
                _("Choose at least one offer: enter a quantity of 1 or more."), code="no_lines"
            )
        return cleaned

    def lines(self) -> list[tuple[Offer, int]]:
        return [
            (offer, self.cleaned_data[self.field_name(offer)])
            for offer in self.offers
            if self.cleaned_data.get(self.field_name(offer))
        ]


class OfferFilterForm(forms.Form):
    country = forms.ChoiceField(
        label=_("Available in"), required=False, choices=[("", _("All countries"))]
    )
    product_type = forms.ChoiceField(
        label=_("Product type"),
        required=False,
        choices=[("", _("All product types")), *ProductType.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = [
            ("", _("All countries")),
            *active_country_choices(),
        ]

    def filter(self, offers):
        if not self.is_valid():
            return offers.none()
        if country := self.cleaned_data["country"]:
            offers = offers.sold_in(country)
        if product_type := self.cleaned_data["product_type"]:
            offers = offers.filter(product_type=product_type)
        return offers


class OrderFilterForm(forms.Form):
    KIND_NEW = "new"
    KIND_RENEWAL = "renewal"

    q = forms.CharField(label=_("Customer"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[
            ("", _("All orders")),
            (KIND_NEW, _("New purchases")),
            (KIND_RENEWAL, _("Auto-renewals")),
        ],
    )

    def filter(self, orders):
        if not self.is_valid():
            return orders.none()
        if q := self.cleaned_data["q"].strip():
            orders = orders.filter(customer__company_name__icontains=q)
        if kind := self.cleaned_data["kind"]:
            orders = orders.filter(is_auto_renewal=kind == self.KIND_RENEWAL)
        return orders
