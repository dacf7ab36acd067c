from django.urls import path

app_name = "invitations"

urlpatterns: list = []
