from django.urls import path

from signing import bulk_views, views

app_name = "signing"

urlpatterns = [
    path("customers/<uuid:tenant_id>/start/", views.start, name="start"),
    path("requests/<uuid:public_id>/", views.link, name="link"),
    path("requests/<uuid:public_id>/send/", views.send, name="send"),
    path("requests/<uuid:public_id>/resend/", views.resend, name="resend"),
    path("requests/<uuid:public_id>/revoke/", views.revoke, name="revoke"),
    path("embedding/", views.framing, name="framing"),
    path("bulk/preview/", bulk_views.preview, name="bulk_preview"),
    path("bulk/start/", bulk_views.start, name="bulk_start"),
    path("bulk/<uuid:public_id>/", bulk_views.job_page, name="bulk_job"),
    path("bulk/<uuid:public_id>/status/", bulk_views.job_status, name="bulk_job_status"),
    path("bulk/<uuid:public_id>/results.csv", bulk_views.job_results_csv, name="bulk_job_csv"),
    # The signatory's pages: the token is the credential.
    path("sign/<str:token>/", views.sign, name="sign"),
    path("sign/<str:token>/code/", views.send_code, name="send_code"),
    path("sign/<str:token>/verify/", views.verify, name="verify"),
    path("sign/<str:token>/answer/", views.answer, name="answer"),
    path("sign/<str:token>/document/", views.document, name="document"),
]
