from django.urls import path

from bulk import views

app_name = "bulk"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("new/", views.upload, name="upload"),
    path("template.csv", views.template_file, name="template"),
    path("<uuid:public_id>/", views.job_detail, name="job"),
    path("<uuid:public_id>/run/", views.run, name="run"),
    path("<uuid:public_id>/cancel/", views.cancel, name="cancel"),
    path("<uuid:public_id>/status.json", views.job_status, name="status"),
    path("<uuid:public_id>/results.csv", views.results, name="results"),
]
