"""Shared behaviour of the operators' admin."""


class ReadOnlyAdminMixin:
    """Operators read and audit these records; only the services that keep the rules write.

    Works for a ModelAdmin and an inline alike (an inline's has_add_permission takes obj).
    """

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
