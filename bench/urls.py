"""The benchmark's anchors (bench/views.py); portal/urls.py includes these only when
settings.BENCH_ANCHORS is on, as manage.py bench sets it for the portal it serves."""

from django.urls import path

from bench import views

app_name = "bench"

urlpatterns = [
    path("anchor/customers/", views.customer_rows, name="customer-rows"),
    path("anchor/customer-page/", views.customer_page, name="customer-page"),
    path("anchor/admin-customers/", views.admin_customer_rows, name="admin-customer-rows"),
    path("anchor/write", views.OneRowWrite.as_view(), name="write"),
]
