"""The campaign table's filters (django-filter, in the URL): where each customer stands, and
the customers list's search."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.selectors import BLOCKED, DONE, DUE, INVITED, state_condition
from customers.filters import SEARCH_MAX_LENGTH, ListFilter, search_condition
from customers.models import Relationship, RelationshipQuerySet

STATE_CHOICES = [
    (DUE, _("Due, not invited")),
    (INVITED, _("Invited to accept again")),
    (BLOCKED, _("Blocked — partner must attest")),
    (DONE, _("Accepted again")),
]


class CampaignFilter(ListFilter):
    state = django_filters.ChoiceFilter(
        label=_("Where they stand"),
        field_name="state",
        choices=STATE_CHOICES,
        empty_label=_("All customers of the campaign"),
        method="in_state",
    )
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=SEARCH_MAX_LENGTH)

    class Meta:
        model = Relationship
        fields: list[str] = []

    def __init__(
        self,
        data: Any = None,
        queryset: RelationshipQuerySet | None = None,
        now: datetime.datetime | None = None,
    ) -> None:
        super().__init__(data, queryset=queryset)
        self.now = now or timezone.now()
        for name, field in self.form.fields.items():
            kind = "form-select" if name == "state" else "form-control"
            invalid = " is-invalid" if self.is_bound and name in self.form.errors else ""
            field.widget.attrs["class"] = kind + invalid

    def in_state(
        self, queryset: RelationshipQuerySet, name: str, value: str
    ) -> RelationshipQuerySet:
        # The stored columns' condition, not the computed state: the database estimates it.
        return queryset.filter(state_condition(value, self.now))

    def search(self, queryset: RelationshipQuerySet, name: str, value: str) -> RelationshipQuerySet:
        condition = search_condition(value)
        return queryset if condition is None else queryset.filter(condition)
