from django.urls import path

from customers import views

app_name = "customers"

urlpatterns = [
    path("", views.customer_list, name="list"),
    path("new/", views.new_customer, name="new"),
    path("new/review/<uuid:draft_id>/", views.review_new_customer, name="review"),
    path("domain-availability/", views.domain_availability, name="domain_availability"),
    path("<uuid:tenant_id>/", views.customer_detail, name="detail"),
    path("<uuid:tenant_id>/created/", views.customer_created, name="created"),
    path("<uuid:tenant_id>/agreement/update/", views.attest, name="attest"),
    path(
        "<uuid:tenant_id>/agreement/ask-provider/",
        views.ask_provider_to_attest,
        name="request_attestation",
    ),
]
