from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from agreements import views as agreement_views
from agreements.urls import customer_patterns as agreement_pages
from customers.urls import urlpatterns as customer_pages
from invitations.urls import customer_patterns as onboarding_pages
from portal import views
from portal.password_urls import patterns as password_patterns

admin.site.site_header = "MCA Portal — operators"
admin.site.site_title = "MCA Portal operators"

# The root URLconf is the composition root: it may name every app. /customers/ is one
# namespace served by three apps (the list and Account info; New customer; attesting).
customers = ([*customer_pages, *onboarding_pages, *agreement_pages], "customers")

urlpatterns = [
    path("", views.home, name="home"),
    path(
        ".well-known/mca-evidence-keys.json",
        agreement_views.evidence_keys,
        name="evidence-keys",
    ),
    path("login/", views.AgentSignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("jsi18n/", login_not_required(JavaScriptCatalog.as_view()), name="javascript-catalog"),
    path("customers/", include(customers)),
    path("", include("orders.urls")),
    path("api-tokens/", include("portal.token_urls")),
    path("agents/", include("portal.agent_urls")),
    path("password-reset/", include((password_patterns("portal"), "password"))),
    path(
        "admin-center/password-reset/",
        include((password_patterns("admin_center"), "admin_center_password")),
    ),
    path("v1/", include("portal.api_urls")),
    path("agreements/", include("agreements.urls")),
    path("invitations/", include("invitations.urls")),
    path("bulk/", include("bulk.urls")),
    path("portfolio/", include("portfolio.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("notifications/", include("alerts.urls")),
    path("signing/", include("signing.urls")),
    path("admin-center/", include("admin_center.urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCH_ANCHORS:
    # Only in the portal manage.py bench serves: the anchors it measures pages against.
    urlpatterns += [path("bench/", include("bench.urls"))]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
