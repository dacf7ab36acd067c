"""The portal's URLconf without the orders app's pages (tests.portal.test_signed_in_reads)."""

from django.urls import URLResolver

from portal import urls


def _is_orders(pattern) -> bool:
    return isinstance(pattern, URLResolver) and (
        getattr(pattern.urlconf_module, "__name__", "") == "orders.urls"
    )


urlpatterns = [pattern for pattern in urls.urlpatterns if not _is_orders(pattern)]
