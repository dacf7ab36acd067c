from django.urls import path

from invitations import admin_center

app_name = "admin_center"

urlpatterns = [
    path("login/", admin_center.SignInView.as_view(), name="login"),
    path("logout/", admin_center.SignOutView.as_view(), name="logout"),
    path("password/", admin_center.PasswordChangeView.as_view(), name="password_change"),
    path("", admin_center.home, name="home"),
    # The invitation landing page, its acceptance POST, partners list and detail
    # are added by the invitations work (issue 4); the name "invitation" takes the token.
    path("invitation/<str:token>/", admin_center.home, name="invitation"),
]
