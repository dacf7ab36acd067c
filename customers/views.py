"""The partner's customers: list and search, new customer (A1), account info (A3), attest (A2)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agreements.models import (
    Acceptance,
    AcceptanceMethod,
    AgreementDocument,
    AttestationRequest,
    Channel,
)
from agreements.services import latest_acceptance, record_acceptance
from customers.forms import (
    AttestationForm,
    CustomerSearchForm,
    NewCustomerForm,
    domain_problem,
    normalise_domain,
)
from customers.services import admin_sign_in_name, onboard_customer, request_attestation
from portal import permissions
from portal.decorators import agent_required, require
from portal.drafts import SessionDrafts
from portal.drafts import draft_id as draft_id_from
from portal.models import PartnerKind
from portal.net import client_ip, user_agent
from portal.pagination import BoundedPaginator

PAGE_SIZE = 25
# What the agent typed on New customer, one draft per open page (portal.drafts).
NEW_CUSTOMER_DRAFTS = SessionDrafts("customers:new_customer_drafts", limit=5)
CREDENTIALS_KEY = "customers:credentials_once"


def _error_messages(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


@agent_required
@require_GET
def customer_list(request):
    form = CustomerSearchForm(request.GET or None)
    relationships = form.filter(
        permissions.relationships_for(request.user)
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


def _draft_gone_message() -> str:
    return _(
        "That new customer is no longer open: it was created already or has expired. "
        "Start again if you still need it."
    )


def _new_customer_form(request, data=None) -> NewCustomerForm:
    return NewCustomerForm(data, may_attest=request.user.partner.may_attest)


def _render_new_customer_form(request, form, draft_id: str | None = None, status: int = 200):
    return render(
        request, "customers/new.html", {"form": form, "draft_id": draft_id or ""}, status=status
    )


@agent_required
@require(permissions.can_create_customer)
@require_http_methods(["GET", "POST"])
def new_customer(request):
    if request.method == "POST":
        draft_id = draft_id_from(request.POST.get("draft"))
        form = _new_customer_form(request, request.POST)
        if form.is_valid():
            data = {
                key: value
                for key, value in request.POST.items()
                if key not in ("csrfmiddlewaretoken", "draft")
            }
            draft_id = NEW_CUSTOMER_DRAFTS.save(request, data, draft_id)
            return redirect("customers:review", draft_id=draft_id)
        return _render_new_customer_form(request, form, draft_id, status=400)
    # "Back: edit" on the review page comes here with its draft's details.
    draft_id = draft_id_from(request.GET.get("draft"))
    draft = NEW_CUSTOMER_DRAFTS.get(request, draft_id)
    if draft_id and draft is None:
        messages.info(request, _draft_gone_message())
    return _render_new_customer_form(
        request, _new_customer_form(request, draft), draft_id if draft else None
    )


@never_cache
@agent_required
@require(permissions.can_create_customer)
@require_http_methods(["GET", "POST"])
def review_new_customer(request, draft_id):
    draft_id = str(draft_id)
    draft = NEW_CUSTOMER_DRAFTS.get(request, draft_id)
    if draft is None:
        # Created already (back button, reload, a second click) or pushed out by newer drafts.
        messages.info(request, _draft_gone_message())
        return redirect("customers:new")
    # Re-validated on every step: the domain may have been taken, or the day changed.
    form = _new_customer_form(request, draft)
    if not form.is_valid():
        return _render_new_customer_form(request, form, draft_id, status=400)
    if request.method == "GET":
        return render(
            request,
            "customers/review.html",
            {"form": form, "data": form.cleaned_data, "draft_id": draft_id},
        )

    try:
        created = onboard_customer(
            partner=request.user.partner,
            created_by=request.user,
            customer=form.save(commit=False),
            attestation=form.accepted_by() if form.attests else None,
            date_agreed=form.cleaned_data["date_agreed"] if form.attests else None,
            invite=not form.attests,
            channel=Channel.WEB,
            ip_address=client_ip(request),
            user_agent=user_agent(request),
        )
    except ValidationError as error:
        form = _new_customer_form(request, draft)
        form.is_valid()
        form.add_error(None, _error_messages(error))
        return _render_new_customer_form(request, form, draft_id, status=400)
    except IntegrityError:
        # A double-click or a colleague took the domain between validation and insert.
        form = _new_customer_form(request, draft)
        if form.is_valid():
            form.add_error("domain", _("This domain was taken a moment ago. Choose another name."))
        return _render_new_customer_form(request, form, draft_id, status=409)

    NEW_CUSTOMER_DRAFTS.drop(request, draft_id)
    request.session[CREDENTIALS_KEY] = {
        "tenant_id": str(created.customer.tenant_id),
        "sign_in_name": created.admin.email,
        "password": created.password,
        "invitation_link": created.invitation_link,
    }
    return redirect("customers:created", tenant_id=created.customer.tenant_id)


@never_cache
@agent_required
@require_GET
def customer_created(request, tenant_id):
    """The confirmation page: the temporary password is shown on its first render only (R7)."""
    relationship = permissions.get_relationship_for(request.user, tenant_id)
    customer = relationship.customer
    credentials = request.session.get(CREDENTIALS_KEY)
    if credentials and credentials.get("tenant_id") == str(customer.tenant_id):
        del request.session[CREDENTIALS_KEY]
    else:
        credentials = None
    return render(
        request,
        "customers/created.html",
        {
            "customer": customer,
            "relationship": relationship,
            "credentials": credentials,
            "sign_in_name": admin_sign_in_name(customer.domain),
            "password": credentials["password"] if credentials else None,
            "invitation_link": credentials["invitation_link"] if credentials else None,
        },
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
    problem = domain_problem(domain)
    return JsonResponse(
        {
            "domain": domain,
            "available": problem is None,
            "message": problem or _("%(domain)s is available.") % {"domain": domain},
        }
    )


def _open_attestation_request(customer, partner) -> AttestationRequest | None:
    """A reseller sees its own open request; a provider sees the one waiting for it."""
    if partner.is_reseller:
        return AttestationRequest.objects.filter(
            customer=customer, reseller=partner, resolved_at__isnull=True
        ).first()
    if partner.kind == PartnerKind.INDIRECT_PROVIDER:
        return (
            AttestationRequest.objects.filter(
                customer=customer, provider=partner, resolved_at__isnull=True
            )
            .select_related("reseller", "requested_by")
            .first()
        )
    return None


@agent_required
@require_GET
def customer_detail(request, tenant_id):
    relationship = permissions.get_relationship_for(request.user, tenant_id)
    customer = relationship.customer
    history = list(Acceptance.objects.history(customer, relationship.partner))
    partner = request.user.partner
    return render(
        request,
        "customers/detail.html",
        {
            "customer": customer,
            "relationship": relationship,
            "via_reseller": relationship.partner_id != partner.pk,
            "latest": history[0] if history else None,
            "history": history,
            "document": AgreementDocument.objects.latest_for(customer.country.code),
            "open_request": _open_attestation_request(customer, partner),
            "can_attest": permissions.can_attest(request.user),
            "can_invite": permissions.can_invite(request.user),
            "can_request_attestation": permissions.can_request_attestation(request.user),
        },
    )


def _reseller_cannot_attest(request, relationship, *, status=403, errors=()):
    """R3: explain who attests instead of showing the form, and offer to ask them."""
    customer = relationship.customer
    return render(
        request,
        "customers/attest_reseller.html",
        {
            "customer": customer,
            "provider": request.user.partner.provider,
            "on_record": latest_acceptance(customer, request.user.partner),
            "open_request": _open_attestation_request(customer, request.user.partner),
            "can_request_attestation": permissions.can_request_attestation(request.user),
            "errors": errors,
        },
        status=status,
    )


@agent_required
@require_http_methods(["GET", "POST"])
def attest(request, tenant_id):
    relationship = permissions.get_relationship_for(request.user, tenant_id)
    customer = relationship.customer
    if not permissions.can_attest(request.user):
        if request.user.partner.is_reseller:
            return _reseller_cannot_attest(request, relationship)
        raise PermissionDenied
    latest = latest_acceptance(customer, request.user.partner)

    if request.method == "POST":
        form = AttestationForm(request.POST)
        if form.is_valid():
            try:
                record_acceptance(
                    customer=customer,
                    partner=request.user.partner,
                    recorded_by=request.user,
                    method=AcceptanceMethod.PARTNER_ATTESTATION,
                    channel=Channel.WEB,
                    contact=form.contact(),
                    date_agreed=form.cleaned_data["date_agreed"],
                    ip_address=client_ip(request),
                    user_agent=user_agent(request),
                )
            except ValidationError as error:
                form.add_error(None, _error_messages(error))
            else:
                messages.success(
                    request,
                    _("Acceptance of the Microsoft Customer Agreement is now on record."),
                )
                return redirect("customers:detail", tenant_id=customer.tenant_id)
        status = 400
    else:
        if latest is not None:
            initial = {
                "first_name": latest.first_name,
                "last_name": latest.last_name,
                "email": latest.email,
                "phone": latest.phone,
                "date_agreed": latest.date_agreed,
            }
        else:
            initial = {
                "first_name": customer.contact_first_name,
                "last_name": customer.contact_last_name,
                "email": customer.contact_email,
                "phone": customer.contact_phone,
            }
        form = AttestationForm(initial=initial)
        status = 200
    return render(
        request,
        "customers/attest.html",
        {"customer": customer, "relationship": relationship, "form": form, "latest": latest},
        status=status,
    )


@agent_required
@require_POST
def ask_provider_to_attest(request, tenant_id):
    relationship = permissions.get_relationship_for(request.user, tenant_id)
    if not permissions.can_request_attestation(request.user):
        raise PermissionDenied
    try:
        request_attestation(
            customer=relationship.customer,
            reseller=request.user.partner,
            requested_by=request.user,
        )
    except ValidationError as error:
        return _reseller_cannot_attest(
            request, relationship, status=409, errors=_error_messages(error)
        )
    messages.success(
        request,
        _("%(provider)s has been asked to attest for this customer.")
        % {"provider": request.user.partner.provider.name},
    )
    return redirect("customers:detail", tenant_id=relationship.customer.tenant_id)
