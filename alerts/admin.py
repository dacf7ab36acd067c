from django.contrib import admin

from alerts.models import AlertPreference, Notification
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
