from django.urls import path

from alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.read_all, name="read_all"),
    path("settings/", views.preferences, name="preferences"),
]
