from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator

from portal import permissions
from portal.dashboard import sections as dashboard_sections
from portal.decorators import agent_required
from portal.forms import AgentSignInForm


@method_decorator(login_not_required, name="dispatch")
class AgentSignInView(auth_views.LoginView):
    form_class = AgentSignInForm
    template_name = "portal/login.html"
    redirect_authenticated_user = True


@login_not_required
def home(request):
    if permissions.is_customer_admin(request.user):
        return redirect("admin_center:home")
    if permissions.is_agent(request.user):
        return redirect("dashboard")
    return redirect("login")


@agent_required
def dashboard(request):
    """The partner's start page; its sections come from the apps above (portal.dashboard)."""
    return render(
        request,
        "portal/dashboard.html",
        {"partner": request.user.partner, "sections": dashboard_sections.render(request)},
    )
