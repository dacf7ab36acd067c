"""Password reset's URLs, once per site: the partner portal's (namespace ``password``, with an
invited agent's set-password link) and the admin center's (``admin_center_password``)."""

from django.urls import path

from portal import password_views as views


def patterns(site: str) -> list:
    urls = [
        path("", views.ResetRequestView.as_view(site=site), name="request"),
        path("sent/", views.ResetSentView.as_view(site=site), name="sent"),
        path("done/", views.ResetCompleteView.as_view(site=site), name="complete"),
        path("<uidb64>/<token>/", views.ResetConfirmView.as_view(site=site), name="confirm"),
    ]
    if site == views.PORTAL:
        urls.append(path("welcome/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set"))
    return urls
