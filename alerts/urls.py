from django.urls import path

from alerts import views, webhook_views

app_name = "alerts"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.read_all, name="read_all"),
    path("settings/", views.preferences, name="preferences"),
    path("webhooks/", webhook_views.endpoint_list, name="webhooks"),
    path("webhooks/new/", webhook_views.endpoint_new, name="webhook_new"),
    path("webhooks/<uuid:public_id>/", webhook_views.endpoint_detail, name="webhook"),
    path("webhooks/<uuid:public_id>/edit/", webhook_views.endpoint_edit, name="webhook_edit"),
    path("webhooks/<uuid:public_id>/test/", webhook_views.send_test, name="webhook_test"),
    path("webhooks/<uuid:public_id>/rotate/", webhook_views.rotate_secret, name="webhook_rotate"),
    path("webhooks/<uuid:public_id>/enable/", webhook_views.enable, name="webhook_enable"),
    path("webhooks/<uuid:public_id>/delete/", webhook_views.delete, name="webhook_delete"),
]
