from django.urls import path

from invitations import bulk_views, onboarding, views

app_name = "invitations"

urlpatterns = [
    path("", views.invitation_list, name="list"),
    path("request/", views.request_relationship, name="request_relationship"),
    path("customers/<uuid:tenant_id>/", views.invite_existing, name="invite_existing"),
    path("<uuid:public_id>/compose/", views.compose, name="compose"),
    path("<uuid:public_id>/send/", views.send, name="send"),
    path("<uuid:public_id>/resend/", views.resend, name="resend"),
    path("<uuid:public_id>/revoke/", views.revoke, name="revoke"),
    path("bulk/preview/", bulk_views.preview, name="bulk_preview"),
    path("bulk/start/", bulk_views.start, name="bulk_start"),
    path("bulk/<uuid:public_id>/", bulk_views.job_page, name="bulk_job"),
    path("bulk/<uuid:public_id>/status/", bulk_views.job_status, name="bulk_job_status"),
    path("bulk/<uuid:public_id>/results.csv", bulk_views.job_results_csv, name="bulk_job_csv"),
]

# New customer (A1/B1), served under /customers/ in the customers namespace.
customer_patterns = [
    path("new/", onboarding.new_customer, name="new"),
    path("new/review/<uuid:draft_id>/", onboarding.review_new_customer, name="review"),
    path("<uuid:tenant_id>/created/", onboarding.customer_created, name="created"),
]
