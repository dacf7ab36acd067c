"""The invitations list's search, filters and sort, all in the URL (django-filter), in the
customers list's manner: the search is the customers list's own (customers.filters)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from customers.filters import SEARCH_MAX_LENGTH, ListFilter, search_condition
from customers.forms import OnePassSelect
from customers.models import Relationship
from invitations.models import OPEN_STATUSES, Invitation, InvitationKind, InvitationStatus

# Sort value → ORDER BY: each one of the partner-scoped indexes read forwards or backwards.
SORTS = {
    # invitation_partner_idx
    "-created": (F("created_at").desc(), F("id").desc()),
    "created": (F("created_at").asc(), F("id").asc()),
    # invitation_expiry_idx
    "expires": (F("expires_at").asc(), F("id").asc()),
    "-expires": (F("expires_at").desc(), F("id").desc()),
}
DEFAULT_SORT = "-created"


class InvitationListFilter(ListFilter):
    q = django_filters.CharFilter(
        label=_("Customer"),
        method="search",
        max_length=SEARCH_MAX_LENGTH,
        help_text=_(
            "Any part of the customer's company name, domain, contact's name or email, or the "
            "beginning of its tenant ID."
        ),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Asks for"),
        choices=InvitationKind.choices,
        empty_label=_("Anything"),
        widget=OnePassSelect,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        method="filter_status",
        choices=InvitationStatus.choices,
        empty_label=_("All statuses"),
        widget=OnePassSelect,
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="sort_by",
        choices=[
            ("-created", _("Newest first")),
            ("created", _("Oldest first")),
            ("expires", _("Expiring soonest first")),
            ("-expires", _("Expiring latest first")),
        ],
        empty_label=None,
        widget=OnePassSelect,
    )

    class Meta:
        model = Invitation
        fields: list[str] = []

    def __init__(
        self, data: Any = None, queryset: QuerySet[Invitation] | None = None, *, partner_id: int
    ) -> None:
        self.partner_id = partner_id
        if queryset is not None:
            queryset = queryset.order_by(*SORTS[DEFAULT_SORT])
        super().__init__(data, queryset=queryset)
        for name, field in self.form.fields.items():
            kind = "form-control" if name == "q" else "form-select"
            invalid = " is-invalid" if self.is_bound and name in self.form.errors else ""
            field.widget.attrs["class"] = kind + invalid

    @property
    def filtering(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in ("q", "kind", "status"))

    def search(self, queryset: QuerySet[Invitation], name: str, value: str) -> QuerySet:
        """The customers the customers list's search finds among this partner's (every
        invitation's customer has a relationship with the partner that sent it)."""
        condition = search_condition(value)
        if condition is None:
            return queryset
        customers = Relationship.objects.filter(partner_id=self.partner_id).filter(condition)
        return queryset.filter(customer_id__in=customers.values("customer_id"))

    def filter_status(self, queryset: QuerySet[Invitation], name: str, value: str) -> QuerySet:
        """Expired is not stored: it is an open invitation past its expiry."""
        if value == InvitationStatus.EXPIRED:
            return queryset.lapsed()  # type: ignore[attr-defined]
        if value in OPEN_STATUSES:
            return queryset.live().filter(status=value)  # type: ignore[attr-defined]
        return queryset.filter(status=value)

    def sort_by(self, queryset: QuerySet[Invitation], name: str, value: str) -> QuerySet:
        return queryset.order_by(*SORTS[value])
