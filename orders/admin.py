from django.contrib import admin

from orders.models import GateRefusal, Offer, Order, OrderLine
from portal.admin_mixins import ReadOnlyAdminMixin


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["name", "offer_id", "product_type", "unit_price", "currency", "is_active"]
    list_filter = ["product_type", "is_active", "currency"]
    search_fields = ["name", "offer_id"]


class OrderLineInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = OrderLine
    extra = 0
    autocomplete_fields = ["offer"]


@admin.register(Order)
class OrderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # Orders are placed through the order gate (customers.orders.place_order), and whether a
    # customer bought before decides scenarios D1/D2: operators read them, never write them.
    list_display = ["order_id", "customer", "partner", "placed_by", "placed_at", "is_auto_renewal"]
    list_filter = ["is_auto_renewal", "auto_renew", "partner__kind"]
    search_fields = ["=order_id", "customer__company_name", "customer__domain", "partner__name"]
    list_select_related = ["customer", "partner", "placed_by"]
    autocomplete_fields = ["customer", "partner", "placed_by", "renews"]
    readonly_fields = ["order_id"]
    inlines = [OrderLineInline]
    show_full_result_count = False
    date_hierarchy = "placed_at"


@admin.register(GateRefusal)
class GateRefusalAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # Written by orders.services.place_order when the gate says no; operators only read them.
    list_display = ["at", "partner", "customer", "agent", "channel"]
    list_filter = ["channel"]
    list_select_related = ["partner", "customer", "agent"]
    search_fields = ["customer__company_name", "customer__domain", "partner__name"]
