"""The partner's customers: the list and search, and Account info (A3), whose sections come
from the apps above (customers.panels)."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from customers import selectors
from customers.forms import CustomerSearchForm
from customers.panels import account_info
from customers.services import domain_problem, normalise_domain
from portal import permissions
from portal.decorators import agent_required, require
from portal.pagination import BoundedPaginator

PAGE_SIZE = 25


@agent_required
@require_GET
def customer_list(request):
    form = CustomerSearchForm(request.GET or None)
    relationships = form.filter(
        selectors.relationships_for(request.user)
        .select_related("customer", "partner")
        .order_by("customer__company_name", "customer_id", "partner_id")
    )
    page = BoundedPaginator(relationships, PAGE_SIZE).get_page(request.GET.get("page"))
    invalid = form.is_bound and not form.is_valid()
    return render(
        request,
        "customers/list.html",
        {
            "form": form,
            "page": page,
            "can_create_customer": permissions.can_create_customer(request.user),
            "can_invite": permissions.can_invite(request.user),
        },
        status=400 if invalid else 200,
    )


@agent_required
@require_GET
def customer_detail(request, tenant_id):
    relationship = selectors.get_relationship_for(request.user, tenant_id)
    context = {
        "customer": relationship.customer,
        "relationship": relationship,
        "via_reseller": not relationship.is_own,
    }
    panels = account_info.render(request, relationship, context=context)
    return render(request, "customers/detail.html", {**context, "panels": panels})


@agent_required
@require(permissions.can_create_customer)
@require_GET
def domain_availability(request):
    """Answers the new-customer form as the agent types; the form checks again on submit."""
    raw = request.GET.get("domain", "").strip()
    if not raw:
        return JsonResponse({"available": False, "message": _("Enter a domain name.")}, status=400)
    domain = normalise_domain(raw)
    problem = domain_problem(domain)
    return JsonResponse(
        {
            "domain": domain,
            "available": problem is None,
            "message": problem or _("%(domain)s is available.") % {"domain": domain},
        }
    )
