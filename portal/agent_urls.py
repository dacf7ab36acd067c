from django.urls import path

from portal import agent_views as views
from portal import profile_views

app_name = "agents"

urlpatterns = [
    path("", views.agent_list, name="list"),
    path("<int:pk>/", views.agent_detail, name="detail"),
    path("<int:pk>/role/", views.change_role, name="role"),
    path("<int:pk>/deactivate/", views.deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", views.reactivate, name="reactivate"),
    path("<int:pk>/unlock/", views.unlock, name="unlock"),
    path("<int:pk>/password-reset/", views.send_reset, name="reset"),
    path("<int:pk>/invitation/", views.resend_invitation, name="resend"),
    path("audit-log/", views.audit_log, name="audit"),
    path("audit-log/export/", views.audit_export, name="audit_export"),
    path("profile/", profile_views.partner_profile, name="profile"),
]
