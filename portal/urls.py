from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from portal import views

admin.site.site_header = "MCA Portal — operators"
admin.site.site_title = "MCA Portal operators"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.AgentSignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("jsi18n/", login_not_required(JavaScriptCatalog.as_view()), name="javascript-catalog"),
    path("customers/", include("customers.urls")),
    path("", include("customers.order_urls")),
    path("api-tokens/", include("portal.token_urls")),
    path("v1/", include("portal.api_urls")),
    path("agreements/", include("agreements.urls")),
    path("invitations/", include("invitations.urls")),
    path("admin-center/", include("invitations.admin_center_urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
