"""Shared behaviour of the operators' admin."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


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


class BoundedCountPaginator(Paginator):
    """Counts at most ``bound`` + 1 rows (a LIMITed subquery), so a changelist over a million
    rows never counts them all. Past the bound the page says "more than …" and offers pages up
    to the bound; search or filter to go further."""

    bound = 10_000

    @cached_property
    def count(self) -> int:
        # Without ORDER BY: the database needn't sort the rows (a search's matches) to count.
        return self.object_list.order_by()[: self.bound + 1].count()  # type: ignore[attr-defined]

    @property
    def is_bounded(self) -> bool:
        return self.count > self.bound


class BoundedChangeListMixin:
    """A ModelAdmin whose changelist stays fast at a million rows: a bounded count, no
    second full count."""

    paginator: type[Paginator] = BoundedCountPaginator
    show_full_result_count = False
