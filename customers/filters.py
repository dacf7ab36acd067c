"""The customers list's search, filters and sort, all in the URL (django-filter).

Each sort is served on PostgreSQL by one of Relationship's partner-scoped indexes, read
forwards or backwards, so a sort key is the same columns in the same order as its index.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import F, OrderBy, Q
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from customers import trigrams
from customers.forms import OnePassSelect, OnePassTextInput
from customers.models import (
    INVITATION_LAPSED,
    AgreementStatus,
    Customer,
    Relationship,
    RelationshipQuerySet,
)
from customers.search import indexed, matching, tenant_id_range, words
from customers.selectors import ListPage, Walk, list_page
from portal.collation import country_filter_choices
from portal.models import Partner, PartnerKind

# Column → what it sorts by, ascending; descending reverses every part (and the NULLs).
SORTS: dict[str, tuple[OrderBy, ...]] = {
    # rel_partner_name_idx
    "name": (F("customer_sort_name").asc(), F("id").asc()),
    # rel_partner_country_name_idx
    "country": (F("customer_country").asc(), F("customer_sort_name").asc(), F("id").asc()),
    # rel_partner_status_sort_idx: a lapsed invitation (shown as nothing on record) comes at
    # the end of the invited, next to the customers with nothing on record.
    "status": (
        F("agreement_status").asc(),
        F("invited_until").desc(),
        F("customer_sort_name").asc(),
        F("id").asc(),
    ),
    # rel_partner_created_idx
    "created": (F("created_at").asc(), F("id").asc()),
    # rel_partner_accepted_idx: never accepted is the oldest.
    "accepted": (F("last_accepted_on").asc(nulls_first=True), F("id").asc()),
}
DEFAULT_SORT = "name"
SORT_CHOICES = [(value, value) for key in SORTS for value in (key, f"-{key}")]


# More customers than this whose tenant ID starts with a query are not looked for.
TENANT_MATCHES_LIMIT = 1_000


def ordering(sort: str, *, matches_first: bool = False) -> list[OrderBy]:
    """The ORDER BY of a sort value: a column, with a leading minus for descending.

    ``matches_first`` gives the same order in a form no index has (COALESCE(x, x)), so that
    PostgreSQL finds a search's matches through the trigram index and sorts them, rather than
    read the sort's index from its start hoping to meet them soon: the planner can't know
    that all of them may lie at its far end ("Zelenina …" at the end of the names).
    """
    key = sort.removeprefix("-")
    parts = [part.copy() for part in SORTS.get(key, SORTS[DEFAULT_SORT])]
    if matches_first:
        first = parts[0]
        parts[0] = OrderBy(
            Coalesce(first.expression, first.expression),
            descending=first.descending,
            nulls_first=first.nulls_first,
            nulls_last=first.nulls_last,
        )
    if sort.startswith("-"):
        for part in parts:
            part.reverse_ordering()  # in place: direction and NULLs
    return parts


# The longest search any list's box takes (the customers list, New order's customer choice,
# a campaign's table, the invitations list).
SEARCH_MAX_LENGTH = 200


def tenant_customers(query: str) -> list[int]:
    """The customers whose tenant ID begins with ``query`` (any partner's: the ids only widen a
    partner's scoped query), none if it can't be a tenant ID's beginning."""
    if (tenant_ids := tenant_id_range(query)) is None:
        return []
    return list(
        Customer.objects.filter(tenant_id__range=tenant_ids).values_list("id", flat=True)[
            :TENANT_MATCHES_LIMIT
        ]
    )


def search_condition(query: str) -> Q | None:
    """The relationships whose customer a search finds (customers.search), or None when there
    is nothing to search for: the one search of the customers list and the operators' admin."""
    return matching(query, tenant_customers(query))


class ListFilter(django_filters.FilterSet):
    """A list's search and filters, in the URL: a refused one (a value the form won't take; the
    page answers 400 with the form's errors) shows no rows rather than the list without it, so
    nothing on the page looks like an answer to what was asked. The base of every list's
    filters (the customers list, New order's customer choice, the campaign's table, the
    invitations list)."""

    @property
    def refused(self) -> bool:
        return bool(self.is_bound and not self.form.is_valid())

    @property
    def qs(self) -> Any:
        if self.refused:
            return self.queryset.none()
        return super().qs


class CustomerListFilter(ListFilter):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=SEARCH_MAX_LENGTH,
        widget=OnePassTextInput,
        help_text=_(
            "Any part of a company name, domain, contact's name or email, or the beginning of "
            "a tenant ID."
        ),
    )
    status = django_filters.ChoiceFilter(
        label=_("Agreement status"),
        method="filter_status",
        choices=[
            *AgreementStatus.choices,
            (INVITATION_LAPSED, _("Not on record — invitation lapsed")),
        ],
        empty_label=_("All statuses"),
        widget=OnePassSelect,
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"),
        field_name="customer_country",
        choices=[],
        empty_label=_("All countries"),
        widget=OnePassSelect,
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), method="sort_by", choices=SORT_CHOICES, empty_label=None
    )

    class Meta:
        model = Relationship
        fields: list[str] = []

    def __init__(self, data: Any = None, queryset: RelationshipQuerySet | None = None) -> None:
        if queryset is not None:
            # By name unless a valid sort says otherwise (sort_by, the last filter applied).
            queryset = queryset.order_by(*ordering(DEFAULT_SORT))
        super().__init__(data, queryset=queryset)
        self.tenant_customers: list[int] = []
        # Per request, so the names and their order follow the active language.
        self.form.fields["country"].choices = country_filter_choices(translation.get_language())
        for name, field in self.form.fields.items():
            kind = "form-select" if name in ("status", "country") else "form-control"
            invalid = " is-invalid" if self.is_bound and name in self.form.errors else ""
            field.widget.attrs["class"] = kind + invalid

    @property
    def sort_in_force(self) -> str:
        """The sort in force: the one asked for if valid, else by name."""
        if not self.is_bound or self.form.errors.get("sort"):
            return DEFAULT_SORT
        return str(self.form.cleaned_data.get("sort") or DEFAULT_SORT)

    @property
    def searching(self) -> bool:
        """Whether a search the trigram index can narrow is in force."""
        return bool(
            self.is_bound
            and not self.form.errors.get("q")
            and self.form.cleaned_data.get("q")
            and indexed(self.form.cleaned_data["q"])
        )

    def filter_queryset(self, queryset: RelationshipQuerySet) -> RelationshipQuerySet:
        """Every filter, the search last, so that the list without it is at hand for a walk
        (``unsearched``)."""
        for name, value in self.form.cleaned_data.items():
            if name != "q":
                queryset = self.filters[name].filter(queryset, value)
        self.unsearched = queryset
        return self.filters["q"].filter(queryset, self.form.cleaned_data.get("q"))

    def walk(self) -> Walk | None:
        """The search as a walk along the list's order (customers.selectors.list_page), where
        one can answer it: by name either way, no other filter, no tenant-ID prefix, one
        partner's list."""
        if not self.searching:
            return None
        data = self.form.cleaned_data
        if data.get("status") or data.get("country"):
            return None
        if self.sort_in_force.removeprefix("-") != "name":
            return None
        if tenant_id_range(data["q"]) is not None:
            return None
        return Walk(
            rows=self.unsearched,
            words=tuple(words(data["q"])),
            descending=self.sort_in_force.startswith("-"),
        )

    def matches_first(self) -> list[OrderBy]:
        return ordering(self.sort_in_force, matches_first=True)

    def expected(self, partner: Partner) -> tuple[float, float] | None:
        """What the planner would expect of this search of one partner's list (the matches,
        and those a walk meets in a bunch: customers.selectors.list_page), reckoned from
        the sample it reckons them from (customers.trigrams) without a round trip to ask it.
        None when another filter or a tenant ID's beginning is in force (the planner is asked
        then), or there is no sample."""
        if not self.searching:
            return None
        data = self.form.cleaned_data
        if data.get("status") or data.get("country") or self.tenant_customers:
            return None
        if (sample := trigrams.sample()) is None:
            return None
        return sample.expected(partner.pk, words(data["q"]))

    def rarest_trigram_matches(self) -> RelationshipQuerySet | None:
        """The search's matches (after ``qs``) as the trigram index finds them fastest: asked
        for a few of the words' rarest trigrams, each word then tested whole
        (customers.trigrams). None where there is no sample to choose them by (SQLite, a table
        never analyzed) or nothing to choose."""
        if not self.searching or (sample := trigrams.sample()) is None:
            return None
        query = self.form.cleaned_data["q"]
        if not (asked := sample.looked_up(words(query))):
            return None
        return self.unsearched.filter(matching(query, self.tenant_customers, asked))

    def page(self, partner: Partner, number: str | None, per_page: int) -> ListPage:
        """The page asked for of this list of ``partner``'s agent (customers.selectors.list_page).
        A provider's list also holds its resellers': no one index range to walk, nor one
        partner every row belongs to. A refused filter's page is empty, asked of no one."""
        if self.refused:
            return ListPage(
                rows=[], number=1, per_page=per_page, total=0, total_is_more=False, has_next=False
            )
        own_only = partner.kind != PartnerKind.INDIRECT_PROVIDER
        relationships = self.qs
        return list_page(
            relationships,
            number,
            per_page,
            matches_first=self.matches_first() if self.searching else None,
            rarest=self.rarest_trigram_matches(),
            expected=self.expected(partner) if own_only else None,
            walk=self.walk() if own_only else None,
            owner=partner if own_only else None,
        )

    def search(self, queryset: RelationshipQuerySet, name: str, value: str) -> RelationshipQuerySet:
        self.tenant_customers = tenant_customers(value)
        condition = matching(value, self.tenant_customers)
        return queryset if condition is None else queryset.filter(condition)

    def filter_status(
        self, queryset: RelationshipQuerySet, name: str, value: str
    ) -> RelationshipQuerySet:
        return queryset.with_agreement_status(value)

    def sort_by(
        self, queryset: RelationshipQuerySet, name: str, value: str
    ) -> RelationshipQuerySet:
        return queryset.order_by(*ordering(value))
