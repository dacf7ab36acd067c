from django.urls import path

from invitations import admin_center

app_name = "admin_center"

urlpatterns = [
    path("login/", admin_center.SignInView.as_view(), name="login"),
    path("logout/", admin_center.SignOutView.as_view(), name="logout"),
    path("password/", admin_center.PasswordChangeView.as_view(), name="password_change"),
    path("", admin_center.home, name="home"),
]
