from django.urls import path

app_name = "agreements"

urlpatterns: list = []
