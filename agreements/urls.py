from django.urls import path

from agreements import views

app_name = "agreements"

urlpatterns = [
    path("", views.templates, name="templates"),
    path("download/<str:country>/", views.download, name="download"),
]
