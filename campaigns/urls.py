from django.urls import path

from campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("<uuid:template_id>/", views.campaign_detail, name="detail"),
    path("<uuid:template_id>/attestations.csv", views.attestation_file, name="attestations"),
]
