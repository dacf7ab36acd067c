from django.contrib import admin

from alerts.models import AlertPreference, Notification, WebhookDelivery, WebhookEndpoint
from portal.admin_mixins import BoundedChangeListMixin, ReadOnlyAdminMixin


@admin.register(Notification)
class NotificationAdmin(BoundedChangeListMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["recipient", "event", "delivery", "created_at", "read_at", "digested_at"]
    list_filter = ["event", "delivery"]
    list_select_related = ["recipient"]
    actions = None

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(AlertPreference)
class AlertPreferenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "event", "delivery"]
    list_filter = ["event", "delivery"]
    list_select_related = ["user"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(BoundedChangeListMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only; the secrets (encrypted) are never shown."""

    list_display = ["url", "partner", "is_active", "consecutive_failures", "created_at"]
    list_filter = ["is_active"]
    list_select_related = ["partner"]
    exclude = ["secret_sealed", "previous_secret_sealed"]
    actions = None

    def get_readonly_fields(self, request, obj=None):
        return [
            field.name
            for field in self.model._meta.fields
            if field.name not in ("secret_sealed", "previous_secret_sealed")
        ]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(BoundedChangeListMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["event_name", "event_id", "endpoint", "status", "attempts", "created_at"]
    list_filter = ["status", "event_name"]
    list_select_related = ["endpoint"]
    actions = None

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]
