"""The partner's customers: the list and search, and Account info (A3), whose sections come
from the apps above (customers.panels)."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from customers import selectors
from customers.filters import SORTS, CustomerListFilter
from customers.forms import CustomerDetailsForm
from customers.models import Customer, CustomerChange, CustomerLanguage
from customers.panels import account_info, list_actions, list_bulk_actions
from customers.services import domain_problem, normalise_domain, update_customer
from portal import permissions
from portal.decorators import agent_required, require

PAGE_SIZE = 25


@agent_required
@require_GET
def customer_list(request):
    listing = CustomerListFilter(
        request.GET or None, queryset=selectors.relationships_for(request.user)
    )
    # The page is made when the template first reads it, below the layout and the filters: a
    # search's rows are still being found meanwhile (customers.selectors.when_used).
    page = listing.page(request.user.partner, request.GET.get("page"), PAGE_SIZE)
    bulk_actions = SimpleLazyObject(
        lambda: list_bulk_actions.render(request, context={"page": page})
    )
    return render(
        request,
        "customers/list.html",
        {
            "form": listing.form,
            "refused": listing.refused,
            "page": page,
            "columns": sort_columns(listing.sort_in_force),
            "sort": listing.sort_in_force,
            "searched": any(listing.form.data.get(name) for name in ("q", "status", "country")),
            "can_create_customer": permissions.can_create_customer(request.user),
            "can_invite": permissions.can_invite(request.user),
            "actions": list_actions.render(request),
            "bulk_actions": bulk_actions,
        },
        status=400 if listing.refused else 200,
    )


def sort_columns(sort: str) -> dict[str, dict[str, str]]:
    """Per sortable column: its state for aria-sort ("" if unsorted) and the sort its header
    link asks for (ascending first, then the other way)."""
    columns = {}
    for key in SORTS:
        state = {key: "ascending", f"-{key}": "descending"}.get(sort, "")
        columns[key] = {"aria_sort": state, "next": f"-{key}" if state == "ascending" else key}
    return columns


@agent_required
@require_GET
def customer_detail(request, tenant_id):
    relationship = selectors.get_relationship_for(request.user, tenant_id)
    customer = relationship.customer
    context = {
        "customer": customer,
        "relationship": relationship,
        "via_reseller": not relationship.is_own,
    }
    panels = account_info.render(request, relationship, context=context)
    changes = selectors.change_history(customer, request.GET.get("changes"), request.user.partner)
    label_changes(changes.rows)
    return render(
        request,
        "customers/detail.html",
        {
            **context,
            "panels": panels,
            "changes": changes,
            "can_edit": permissions.can_edit_customer(request.user),
        },
    )


def label_changes(rows: list[CustomerChange]) -> None:
    """Each row's field name and, for the language, its values, as the reader's language says
    them (``field_label``, ``old_label``, ``new_label``)."""
    fields = {field.name: field.verbose_name for field in Customer._meta.fields}
    languages = dict(CustomerLanguage.choices)
    for row in rows:
        values = languages if row.field == "language" else {}
        vars(row).update(
            field_label=fields.get(row.field, row.field),
            old_label=values.get(row.old_value, row.old_value),
            new_label=values.get(row.new_value, row.new_value),
        )


@agent_required
@require(permissions.can_edit_customer)
@require_http_methods(["GET", "POST"])
def customer_edit(request, tenant_id):
    """Account info → Edit details: company name, address, language, primary contact. The
    tenant ID, domain and country are shown, never fields. Admin and sales agents of the
    partner that sees the customer (a provider: its resellers' customers too, as it attests
    for them); anyone else's customer is 404."""
    relationship = selectors.get_relationship_for(request.user, tenant_id)
    customer = relationship.customer
    # The form validates a copy: the page names the customer as it is until it is saved.
    form = CustomerDetailsForm(request.POST or None, instance=copy.copy(customer))
    if request.method == "POST" and form.is_valid():
        try:
            changes = update_customer(
                customer=customer, changed_by=request.user, values=form.changed_values()
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            if changes:
                messages.success(request, _("The customer's details were saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("customers:detail", tenant_id=customer.tenant_id)
    return render(
        request,
        "customers/edit.html",
        {"customer": customer, "relationship": relationship, "form": form},
        status=400 if form.is_bound else 200,
    )


@agent_required
@require(permissions.can_create_customer)
@require_GET
def domain_availability(request):
    """Answers the new-customer form as the agent types; the form checks again on submit."""
    raw = request.GET.get("domain", "").strip()
    if not raw:
        return JsonResponse({"available": False, "message": _("Enter a domain name.")}, status=400)
    domain = normalise_domain(raw)
    problem = domain_problem(domain, name_only=True)
    return JsonResponse(
        {
            "domain": domain,
            "available": problem is None,
            "message": problem or _("%(domain)s is available.") % {"domain": domain},
        }
    )
