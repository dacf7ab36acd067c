from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from customers.filters import search_condition
from customers.forms import clean_postal_code
from customers.models import AgreementStatus, Customer, CustomerChange, Relationship
from customers.regions import state_problem
from customers.services import EDITABLE_FIELDS, update_customer
from portal.admin_mixins import BoundedChangeListMixin, ReadOnlyAdminMixin

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _search_relationships(query: str) -> QuerySet[Relationship] | None:
    """Relationships whose customer matches ``query`` as the customers list searches, or
    None when there is nothing to search for."""
    condition = search_condition(query)
    return None if condition is None else Relationship.objects.filter(condition)


# Up to this many matches are handed to the changelist as ids; more, as a subquery.
MATCHES_AS_IDS = 20_000


def _matches(relationships: QuerySet[Relationship], column: str) -> Q:
    """The changelist's rows (their pk) among the matches, as ids when there are few enough.
    Given a subquery, PostgreSQL would walk the changelist's name order and test each row
    against it, reading most of the table for a term whose matches sit late in the alphabet
    ("Zelenina"); given the ids it reads just those and sorts them. Past the limit the
    matches are dense enough for the walk.

    On PostgreSQL the ids are one array parameter (pk IN (SELECT unnest(%s))): thousands of IN placeholders
    took longer to write out and plan than the query took to run."""
    ids = list(relationships.values_list(column, flat=True).distinct()[: MATCHES_AS_IDS + 1])
    if len(ids) > MATCHES_AS_IDS:
        return Q(pk__in=relationships.values(column))
    if connection.vendor == "postgresql":
        return Q(pk__in=RawSQL("SELECT unnest(%s::bigint[])", (ids,)))
    return Q(pk__in=ids)


class SearchSortsMatchesChangeList(ChangeList):
    """While a search is in force, its matches are sorted after they are found: the first
    sort key is wrapped (COALESCE(x, x)) so that no index serves the order and PostgreSQL
    can't choose to walk the whole name index hoping to meet the matches early."""

    def get_ordering(self, request, queryset):
        ordering = super().get_ordering(request, queryset)
        if not self.query or not ordering:
            return ordering
        first, *rest = ordering
        if isinstance(first, str):
            name = first.removeprefix("-")
            wrapped = Coalesce(F(name), F(name))
            first = wrapped.desc() if first.startswith("-") else wrapped.asc()
        return [first, *rest]


class RelationshipInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Relationship
    extra = 0
    fields = ["partner", "status", "origin", "agreement_status", "invited_until", "activated_at"]


class CustomerAdminForm(forms.ModelForm):
    class Meta:
        model = Customer
        # The admin's own fieldsets choose what shows; domain and country when adding only.
        fields = ["domain", "country", *EDITABLE_FIELDS]

    def clean(self):
        data = super().clean()
        if data is None:  # Form.clean() may return None, meaning "keep self.cleaned_data"
            data = self.cleaned_data
        country = data.get("country", self.instance.country if self.instance.pk else None)
        if problem := state_problem(country, data.get("state") or ""):
            self.add_error("state" if "state" in self.fields else None, problem)
        if "postal_code" in self.fields:
            clean_postal_code(self, country, data)
        return data


@admin.register(Customer)
class CustomerAdmin(BoundedChangeListMixin, admin.ModelAdmin):
    """Fast at a million customers: a bounded count, filters whose choices need no query (no
    date hierarchy, which scans for its years), and ordering by an indexed column."""

    list_display = ["company_name", "domain", "country_name", "language", "tenant_id", "created_at"]
    list_filter = ["country", "language", ("created_at", admin.DateFieldListFilter)]
    # Searched the portal's way (get_search_results): the fields only enable the search box.
    search_fields = ["company_name"]
    search_help_text = _(
        "Any part of a company name, domain, contact's name or email, or the beginning of a "
        "tenant ID."
    )
    form = CustomerAdminForm
    readonly_fields = ["tenant_id", "created_at", "created_by"]
    inlines = [RelationshipInline]

    @admin.display(description=Customer._meta.get_field("country").verbose_name, ordering="country")
    def country_name(self, customer: Customer) -> str:
        """The country's name. Django's own column looks a value up among all of the field's
        ~250 choices on every row (Field.flatchoices): two thirds of the changelist's time at
        100 rows."""
        return customer.country.name

    def get_readonly_fields(self, request, obj=None):
        # A tenant is known by its domain, and its agreements follow its country: once it
        # exists neither changes, here or on the partner's Edit details.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "domain", "country"] if obj is not None else fields

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # An operator's correction goes through the one writer of details, so it is in the
        # change history on Account info like an agent's.
        update_customer(
            customer=Customer.objects.get(pk=obj.pk),
            changed_by=request.user,
            values={
                name: getattr(obj, name) for name in form.changed_data if name in EDITABLE_FIELDS
            },
        )

    def get_changelist(self, request, **kwargs):
        return SearchSortsMatchesChangeList

    def get_search_results(self, request, queryset, search_term):
        """The partner portal's search (customers.search) instead of LIKE '%…%' on four
        columns, which reads all of them: through the trigram index on the relationships'
        folded copy, and the tenant-ID index."""
        relationships = _search_relationships(search_term)
        if relationships is None:
            return queryset, False
        return queryset.filter(_matches(relationships, "customer_id")), False


class AgreementStatusFilter(admin.SimpleListFilter):
    """The agreement status as it stands now (a lapsed invitation is nothing on record)."""

    title = _("agreement status")
    parameter_name = "agreement"

    def lookups(self, request, model_admin):
        return AgreementStatus.choices

    def queryset(self, request, queryset):
        if self.value() in AgreementStatus.values:
            return queryset.with_agreement_status(self.value())
        return queryset


@admin.register(Relationship)
class RelationshipAdmin(BoundedChangeListMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: a relationship is created by its flows and activated only by the customer's
    acceptance (or the partner's own creation); orders and evidence point at it."""

    list_display = ["customer", "partner", "status", "origin", "agreement", "activated_at"]
    list_filter = ["status", "origin", AgreementStatusFilter, "partner__kind", "partner"]
    search_fields = ["customer__company_name"]
    search_help_text = CustomerAdmin.search_help_text
    list_select_related = ["customer", "partner"]

    def get_changelist(self, request, **kwargs):
        return SearchSortsMatchesChangeList

    def get_search_results(self, request, queryset, search_term):
        relationships = _search_relationships(search_term)
        if relationships is None:
            return queryset, False
        return queryset.filter(_matches(relationships, "pk")), False

    @admin.display(description=_("agreement status"), ordering="agreement_status")
    def agreement(self, relationship: Relationship) -> "StrOrPromise":
        return relationship.get_effective_agreement_status_display()


@admin.register(CustomerChange)
class CustomerChangeAdmin(BoundedChangeListMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the history of a customer's details, written by update_customer only (an
    agent's Edit details or an operator's correction above)."""

    list_display = [
        "customer",
        "field",
        "old_value",
        "new_value",
        "changed_by",
        "partner",
        "changed_at",
    ]
    list_filter = ["field"]
    list_select_related = ["customer", "changed_by", "partner"]
    raw_id_fields = ["customer", "changed_by", "partner"]
    ordering = ["-changed_at", "-id"]
