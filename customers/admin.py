from typing import TYPE_CHECKING

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from customers.models import AgreementStatus, Customer, Relationship
from portal.admin_mixins import BoundedChangeListMixin, ReadOnlyAdminMixin

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class RelationshipInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Relationship
    extra = 0
    fields = ["partner", "status", "origin", "agreement_status", "invited_until", "activated_at"]


@admin.register(Customer)
class CustomerAdmin(BoundedChangeListMixin, admin.ModelAdmin):
    """Fast at a million customers: a bounded count, filters whose choices need no query (no
    date hierarchy, which scans for its years), and ordering by an indexed column."""

    list_display = ["company_name", "domain", "country", "language", "tenant_id", "created_at"]
    list_filter = ["country", "language", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["company_name", "domain", "=tenant_id", "contact_email"]
    readonly_fields = ["tenant_id", "created_at", "created_by"]
    inlines = [RelationshipInline]


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
    list_filter = ["status", "origin", AgreementStatusFilter, "partner__kind"]
    search_fields = ["customer__company_name", "customer__domain", "partner__name"]
    list_select_related = ["customer", "partner"]

    @admin.display(description=_("agreement status"), ordering="agreement_status")
    def agreement(self, relationship: Relationship) -> "StrOrPromise":
        return relationship.get_effective_agreement_status_display()
