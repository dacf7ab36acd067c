from django.urls import path

from agreements import views

app_name = "agreements"

urlpatterns = [
    path("", views.templates, name="templates"),
    path("download/<str:country>/", views.download, name="download"),
]

# A customer's agreement pages, served under /customers/ in the customers namespace.
customer_patterns = [
    path("export.csv", views.export_customers, name="export"),
    path("<uuid:tenant_id>/agreement/update/", views.attest, name="attest"),
    path(
        "<uuid:tenant_id>/agreement/ask-provider/",
        views.ask_provider_to_attest,
        name="request_attestation",
    ),
    path(
        "<uuid:tenant_id>/agreements/<uuid:record_id>/receipt/",
        views.receipt,
        name="receipt",
    ),
]
