from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator

from agreements.models import AttestationRequest
from portal import permissions
from portal.decorators import agent_required
from portal.forms import AgentSignInForm
from portal.models import PartnerKind


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


QUEUE_SIZE = 50


@agent_required
def dashboard(request):
    partner = request.user.partner
    attestation_queue = []
    shows_queue = partner.kind == PartnerKind.INDIRECT_PROVIDER and permissions.can_attest(
        request.user
    )
    open_requests = AttestationRequest.objects.filter(resolved_at__isnull=True)
    if shows_queue:
        # R3: resellers' requests wait here until an acceptance is recorded.
        attestation_queue = list(
            open_requests.filter(provider=partner)
            .select_related("customer", "reseller", "requested_by")
            .order_by("requested_at", "id")[:QUEUE_SIZE]
        )
    elif partner.is_reseller:
        # The reseller's side of the same queue: what it is still waiting for.
        attestation_queue = list(
            open_requests.filter(reseller=partner)
            .select_related("customer", "reseller", "requested_by")
            .order_by("requested_at", "id")[:QUEUE_SIZE]
        )
    return render(
        request,
        "portal/dashboard.html",
        {
            "partner": partner,
            "shows_attestation_queue": shows_queue,
            "attestation_queue": attestation_queue,
        },
    )
