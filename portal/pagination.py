from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet

# Counting every row of a million-customer partner costs hundreds of milliseconds;
# counting up to this many costs a few, and nobody pages past page 400 (search does).
COUNT_LIMIT = 10_000


class BoundedPaginator(Paginator):
    """A paginator whose count stops at ``limit`` rows, so every page costs the same."""

    object_list: QuerySet[Any]

    def __init__(
        self, object_list: QuerySet[Any], per_page, *, limit: int = COUNT_LIMIT, **kwargs
    ) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.limit = limit
        self.truncated = False

    @cached_property
    def count(self) -> int:
        # Without ORDER BY the database needn't sort (or join) just to count.
        counted = self.object_list.order_by()[: self.limit + 1].count()
        self.truncated = counted > self.limit
        return min(counted, self.limit)
