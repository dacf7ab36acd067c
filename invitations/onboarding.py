"""A1 and B1: New customer → review → created, through the one onboarding orchestrator
(invitations.services.onboard_customer). Served under /customers/ (the customers namespace)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from agreements.models import Channel
from customers import selectors
from customers.services import admin_sign_in_name
from invitations import email as composer
from invitations.forms import ComposeForm, NewCustomerForm
from invitations.models import Invitation, InvitationKind
from invitations.services import NewCustomer, onboard_customer
from portal import permissions
from portal.decorators import agent_required, require
from portal.drafts import SessionDrafts
from portal.drafts import draft_id as draft_id_from
from portal.hashing import hash_token
from portal.net import client_ip, user_agent
from portal.once import ShownOnce

# What the agent typed on New customer, one draft per open page (portal.drafts).
NEW_CUSTOMER_DRAFTS = SessionDrafts("customers:new_customer_drafts", limit=5)
# The new admin's password and the invitation link, until the confirmation page shows them.
CREDENTIALS = ShownOnce("customers:credentials_once")


def _error_messages(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def _draft_gone_message() -> str:
    return _(
        "That new customer is no longer open: it was created already or has expired. "
        "Start again if you still need it."
    )


def _new_customer_form(request, data=None) -> NewCustomerForm:
    return NewCustomerForm(data, may_attest=request.user.partner.may_attest)


def _render_new_customer_form(request, form, draft_id: str | None = None, status: int = 200):
    return render(
        request,
        "invitations/new_customer.html",
        {"form": form, "draft_id": draft_id or ""},
        status=status,
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


def _create(request, form: NewCustomerForm) -> NewCustomer:
    """A1 attests, B1 invites: the one orchestrator does either, all or nothing."""
    return onboard_customer(
        partner=request.user.partner,
        created_by=request.user,
        customer=form.save(commit=False),
        attestation=(
            (form.accepted_by(), form.cleaned_data["date_agreed"]) if form.attests else None
        ),
        attested_version=form.recorded if form.attests else None,
        attested_language=(form.cleaned_data.get("agreement_language") or None)
        if form.attests
        else None,
        invitation_kind=None if form.attests else InvitationKind.NEW_CUSTOMER,
        channel=Channel.WEB,
        ip_address=client_ip(request),
        user_agent=user_agent(request),
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
            "invitations/new_customer_review.html",
            {"form": form, "data": form.cleaned_data, "draft_id": draft_id},
        )

    try:
        created = _create(request, form)
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
    CREDENTIALS.keep(
        request,
        created.customer.tenant_id,
        {
            "sign_in_name": created.admin.email,
            "password": created.password,
            "invitation_link": created.invitation_link,
        },
    )
    return redirect("customers:created", tenant_id=created.customer.tenant_id)


@never_cache
@agent_required
@require_GET
def customer_created(request, tenant_id):
    """The confirmation page: the temporary password is shown on its first render only (R7)."""
    relationship = selectors.get_relationship_for(request.user, tenant_id)
    customer = relationship.customer
    credentials = CREDENTIALS.take(request, customer.tenant_id)
    password = credentials["password"] if credentials else None
    link = credentials["invitation_link"] if credentials else None
    return render(
        request,
        "invitations/new_customer_created.html",
        {
            "customer": customer,
            "relationship": relationship,
            "credentials": credentials,
            "sign_in_name": admin_sign_in_name(customer.domain),
            "password": password,
            "invitation_link": link,
            **_email_draft(request, link, password),
        },
    )


def _email_draft(request, link: str | None, password: str | None) -> dict:
    """B1: the email draft with the link and the credentials, shown with them once."""
    token = composer.token_from_link(link or "")
    invitation = None
    if token:
        invitation = (
            Invitation.objects.select_related("customer", "partner", "created_by")
            .filter(token_hash=hash_token(token), partner_id=request.user.partner_id)
            .first()
        )
    if link is None or invitation is None:
        return {"invitation": None}
    email = composer.compose_email(invitation, link, password)
    return {
        "invitation": invitation,
        "email": email,
        "form": ComposeForm(initial={"subject": email.subject, "body": email.body}),
    }
