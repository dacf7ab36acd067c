from django.urls import path

from admin_center import views as admin_center

app_name = "admin_center"

urlpatterns = [
    path("login/", admin_center.SignInView.as_view(), name="login"),
    path("logout/", admin_center.SignOutView.as_view(), name="logout"),
    path("password/", admin_center.PasswordChangeView.as_view(), name="password_change"),
    path("", admin_center.home, name="home"),
    path("invitation/<str:token>/", admin_center.invitation, name="invitation"),
    path("invitation/<str:token>/accept/", admin_center.accept, name="accept"),
    path("requests/<uuid:public_id>/", admin_center.request_page, name="request"),
    path("requests/<uuid:public_id>/accept/", admin_center.request_accept, name="request_accept"),
    path("requests/<uuid:public_id>/decline/", admin_center.decline, name="decline"),
    path(
        "relationship/<str:partner_id>/",
        admin_center.relationship_request,
        name="relationship_request",
    ),
    path(
        "relationship/<str:partner_id>/accept/",
        admin_center.accept_relationship_request,
        name="accept_relationship_request",
    ),
    path("agreement/", admin_center.agreement_document, name="agreement_document"),
    path("partners/", admin_center.partners, name="partners"),
    path("partners/<str:partner_id>/", admin_center.partner_detail, name="partner_detail"),
]
