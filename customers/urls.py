from django.urls import path

from customers import views

app_name = "customers"

# The root URLconf adds the other apps' customer pages to this namespace (portal/urls.py).
urlpatterns = [
    path("", views.customer_list, name="list"),
    path("domain-availability/", views.domain_availability, name="domain_availability"),
    path("<uuid:tenant_id>/", views.customer_detail, name="detail"),
    path("<uuid:tenant_id>/edit/", views.customer_edit, name="edit"),
]
