"""The partner's side of invitations: request, compose, send, resend, revoke, list (B1–B3)."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from customers import selectors
from customers.models import AgreementStatus, Relationship
from customers.services import admin_sign_in_name
from invitations import email as composer
from invitations import services
from invitations.filters import InvitationListFilter
from invitations.forms import (
    ComposeForm,
    ExistingCustomerForm,
    InviteKindForm,
    NewInviteeForm,
)
from invitations.models import Invitation, InvitationKind, InvitationStatus
from portal import permissions
from portal.decorators import AgentRequest, agent_required, require
from portal.fragments import Fragment
from portal.once import ShownOnce
from portal.pagination import BoundedPaginator

PAGE_SIZE = 25
# The raw link (and a new tenant's password) lives here only between issuing an invitation
# and the composer's first render (R7).
LINKS = ShownOnce("invitation_links")


def _keep_link(request, invitation: Invitation, link: str, password: str | None = None) -> None:
    LINKS.keep(request, invitation.public_id, {"link": link, "password": password})


def _take_link(request, invitation: Invitation) -> dict | None:
    return LINKS.take(request, invitation.public_id)


def _own_invitation(request, public_id) -> Invitation:
    """R4: an agent only reaches its own partner's invitations; anything else is 404."""
    return get_object_or_404(
        Invitation.objects.select_related(
            "customer", "partner", "created_by", "replaced_by"
        ).with_standing(),
        public_id=public_id,
        partner_id=request.user.partner_id,
    )


def _errors(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def _blocked_ok(request) -> bool:
    """The agent saw the R6 warning and sends anyway."""
    return request.POST.get("blocked_ok") == "yes"


def _blocked_warning(request, customer, warning, *, action: str, fields: dict, cancel: str):
    """R6 known before sending: say so, offer to attest, and send only when confirmed (the
    same POST again, with ``blocked_ok``)."""
    return render(
        request,
        "invitations/blocked_warning.html",
        {
            "customer": customer,
            "message": _errors(warning),
            "relationship_only": warning.code == "relationship_only",
            "action": action,
            "fields": fields,
            "cancel_url": cancel,
            # Attest from Account info, which exists only for the partner's own customers.
            "can_attest": permissions.can_attest(request.user)
            and Relationship.objects.filter(
                partner_id=request.user.partner_id, customer=customer
            ).exists(),
        },
        status=409,
    )


def _list_page(request, status: int = 200):
    listing = InvitationListFilter(
        request.GET or None,
        queryset=Invitation.objects.filter(partner_id=request.user.partner_id)
        .select_related("customer", "created_by")
        # A tenant still asked (B2) is not the partner's customer yet: no Account info to link.
        .annotate(
            is_customer=Exists(
                Relationship.objects.filter(
                    partner_id=OuterRef("partner_id"), customer_id=OuterRef("customer_id")
                )
            )
        )
        .with_standing(),
        partner_id=request.user.partner_id,
    )
    page = BoundedPaginator(listing.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "invitations/list.html",
        {
            "page": page,
            "form": listing.form,
            "refused": listing.refused,
            "filtering": listing.filtering,
            "can_attest": permissions.can_attest(request.user),
        },
        status=400 if listing.refused else status,
    )


@agent_required
@require(permissions.can_invite)
@require_GET
def invitation_list(request):
    return _list_page(request)


@agent_required
@require(permissions.can_invite)
@require_http_methods(["GET", "POST"])
def request_relationship(request):
    """B2: pick one of the partner's customers, or add a new one, and compose the email."""
    existing = ExistingCustomerForm(user=request.user, prefix="existing")
    new = NewInviteeForm(prefix="new")
    outcome = _RequestOutcome()
    if request.method == "POST" and request.POST.get("which") == "new":
        new = NewInviteeForm(request.POST, prefix="new")
        outcome = _request_for_new_customer(request, new)
    elif request.method == "POST":
        existing = ExistingCustomerForm(request.POST, user=request.user, prefix="existing")
        outcome = _request_for_existing_customer(request, existing)
    if outcome.invitation is not None:
        return redirect("invitations:compose", public_id=outcome.invitation.public_id)
    if outcome.warning is not None and existing.customer is not None:
        return _blocked_warning(
            request,
            existing.customer,
            outcome.warning,
            action=reverse("invitations:request_relationship"),
            # As the agent typed them (a domain or a tenant ID, and where to send).
            fields={
                name: request.POST.get(name, "")
                for name in ("which", "existing-domain", "existing-recipient_email")
                if name in request.POST
            },
            cancel=reverse("invitations:request_relationship"),
        )
    return render(
        request,
        "invitations/request.html",
        {
            "existing": existing,
            "new": new,
            "already": outcome.already,
            "partner_link": composer.relationship_request_link(request.user.partner),
        },
        status=outcome.status,
    )


@dataclass
class _RequestOutcome:
    """What a B2 request came to: an invitation to compose, or the page again with errors."""

    status: int = 200
    invitation: Invitation | None = None
    # The relationship that made the request pointless (already active).
    already: Relationship | None = None
    # R6 known in advance: what to warn of before sending (invitations.services.KnownBlocked).
    warning: services.KnownBlocked | None = None


def _request_for_new_customer(request, form: NewInviteeForm) -> _RequestOutcome:
    """A customer new to the portal: its tenant, a pending relationship and the invitation."""
    if not form.is_valid():
        return _RequestOutcome(status=400)
    try:
        created = services.onboard_customer(
            partner=request.user.partner,
            created_by=request.user,
            customer=form.save(commit=False),
            invitation_kind=InvitationKind.RESELLER_RELATIONSHIP,
        )
    except ValidationError as error:
        form.add_error(None, _errors(error))
        return _RequestOutcome(status=400)
    except IntegrityError:
        form.add_error("domain", _("This domain was taken a moment ago. Choose another name."))
        return _RequestOutcome(status=400)
    invitation, link = created.invitation, created.invitation_link
    if invitation is None or link is None:  # onboard_customer invites whenever given a kind
        raise RuntimeError("onboard_customer made no invitation")
    _keep_link(request, invitation, link, created.password)
    return _RequestOutcome(invitation=invitation)


def _request_for_existing_customer(request, form: ExistingCustomerForm) -> _RequestOutcome:
    """A tenant already in the portal, found by its domain or tenant ID: one of the partner's
    own customers, or one that works with other partners only (then to the address named)."""
    # A valid form has found the customer (clean_domain); the second test is for the checker.
    if not form.is_valid() or form.customer is None:
        return _RequestOutcome(status=400)
    try:
        if form.new_to_partner:
            invitation, link = services.request_relationship_from_tenant(
                partner=request.user.partner,
                customer=form.customer,
                recipient_email=form.cleaned_data["recipient_email"],
                created_by=request.user,
                blocked_ok=_blocked_ok(request),
            )
        else:
            invitation, link = services.issue_invitation(
                partner=request.user.partner,
                customer=form.customer,
                kind=InvitationKind.RESELLER_RELATIONSHIP,
                created_by=request.user,
                blocked_ok=_blocked_ok(request),
            )
    except services.KnownBlocked as warning:
        return _RequestOutcome(warning=warning)
    except services.RelationshipAlreadyActive as error:
        # The customer's pending invitation (and its link) stays as it was.
        form.add_error(None, _errors(error))
        already = Relationship.objects.get(
            partner_id=request.user.partner_id, customer=form.customer
        )
        return _RequestOutcome(status=409, already=already)
    except services.OpenInvitationExists as error:
        form.add_error(None, _errors(error))
        return _RequestOutcome(status=409)
    except ValidationError as error:
        form.add_error(None, _errors(error))
        return _RequestOutcome(status=400)
    _keep_link(request, invitation, link)
    return _RequestOutcome(invitation=invitation)


@agent_required
@require(permissions.can_invite)
@require_POST
def invite_existing(request, tenant_id):
    """B3 (or B2 for a pending relationship) from the customer's Account info page."""
    relationship = selectors.get_relationship_for(request.user, tenant_id)
    if not relationship.is_own:
        # A provider looking at its reseller's customer: the reseller invites, not the provider.
        raise PermissionDenied
    form = InviteKindForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what the invitation asks for."))
        return redirect("customers:detail", tenant_id=tenant_id)
    if form.cleaned_data["kind"] == InvitationKind.EXISTING_CUSTOMER and (
        relationship.agreement_status in (AgreementStatus.ATTESTED, AgreementStatus.ACCEPTED)
    ):
        messages.error(
            request,
            _("The agreement is already on record for this customer; there is nothing to ask."),
        )
        return redirect("customers:detail", tenant_id=tenant_id)
    try:
        invitation, link = services.issue_invitation(
            partner=request.user.partner,
            customer=relationship.customer,
            kind=form.cleaned_data["kind"],
            created_by=request.user,
            blocked_ok=_blocked_ok(request),
        )
    except services.KnownBlocked as warning:
        return _blocked_warning(
            request,
            relationship.customer,
            warning,
            action=reverse("invitations:invite_existing", args=[tenant_id]),
            fields={"kind": form.cleaned_data["kind"]},
            cancel=reverse("customers:detail", args=[tenant_id]),
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("customers:detail", tenant_id=tenant_id)
    _keep_link(request, invitation, link)
    return redirect("invitations:compose", public_id=invitation.public_id)


@never_cache
@agent_required
@require(permissions.can_invite)
@require_GET
def compose(request, public_id):
    """The email draft with the link; the link is shown on this first render only (R7)."""
    invitation = _own_invitation(request, public_id)
    kept = _take_link(request, invitation)
    email = None
    form = None
    password = kept.get("password") if kept else None
    if kept is not None:
        email = composer.compose_email(invitation, kept["link"], password)
        form = ComposeForm(initial={"to": email.to, "subject": email.subject, "body": email.body})
    return _compose_page(request, invitation, email, form, password=password)


def _compose_page(request, invitation, email, form, status: int = 200, password=None):
    """The composer; a new tenant's temporary password (B2) is shown beside it, once, in a
    block of its own: it must not live only in the editable message."""
    # Account info exists only for the partner's customers (not a tenant still asked).
    is_customer = Relationship.objects.filter(
        partner_id=invitation.partner_id, customer_id=invitation.customer_id
    ).exists()
    vars(invitation)["is_customer"] = is_customer
    return render(
        request,
        "invitations/compose.html",
        {
            "invitation": invitation,
            "email": email,
            "form": form,
            "can_attest": permissions.can_attest(request.user),
            "password": password,
            "sign_in_name": admin_sign_in_name(invitation.customer.domain),
            "is_customer": is_customer,
        },
        status=status,
    )


def _send_error(error: ValidationError, *, has_link: bool) -> str:
    """What the composer says when a send is refused: a missing link says where to find one."""
    if error.code != "no_link":
        return _errors(error)
    if has_link:
        return _(
            "The message must contain the invitation link. Copy it from the "
            "Invitation link field into the message and send again."
        )
    return _(
        "The message must contain the invitation link, and this page no "
        "longer has it. Resend the invitation to get a new link."
    )


@never_cache
@agent_required
@require(permissions.can_invite)
@require_POST
def send(request, public_id):
    invitation = _own_invitation(request, public_id)
    form = ComposeForm(request.POST)
    # The link comes back only from the composer's own field, checked against the stored hash.
    link = services.link_if_current(invitation, request.POST.get("link", ""))
    if form.is_valid():
        try:
            sent = services.send_invitation(
                invitation=invitation,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                to=form.cleaned_data["to"] or None,
                cc=form.cleaned_data["cc"],
            )
        except ValidationError as error:
            form.add_error(None, _send_error(error, has_link=bool(link)))
        else:
            if sent.email_cc:
                text = _("The invitation was sent to %(email)s, with copies to %(copies)s.")
            else:
                text = _("The invitation was sent to %(email)s.")
            messages.success(
                request, text % {"email": sent.email_to, "copies": ", ".join(sent.email_cc)}
            )
            return redirect("invitations:list")
    email = composer.Email(
        # Never the contact of a tenant that isn't the partner's customer yet (recipient).
        to=request.POST.get("to") or composer.recipient(invitation),
        cc=request.POST.get("cc", ""),
        subject=request.POST.get("subject", ""),
        body=request.POST.get("body", ""),
        link=link or "",
    )
    return _compose_page(request, invitation, email, form, status=400)


@agent_required
@require(permissions.can_invite)
@require_POST
def resend(request, public_id):
    invitation = _own_invitation(request, public_id)
    try:
        new, link = services.resend_invitation(
            invitation=invitation, created_by=request.user, blocked_ok=_blocked_ok(request)
        )
    except services.KnownBlocked as warning:
        return _blocked_warning(
            request,
            invitation.customer,
            warning,
            action=reverse("invitations:resend", args=[invitation.public_id]),
            fields={},
            cancel=reverse("invitations:list"),
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
        return _list_page(request, status=409)
    _keep_link(request, new, link)
    return redirect("invitations:compose", public_id=new.public_id)


def _back_to(invitation: Invitation, back: str | None) -> str:
    if back == "customer":
        return reverse("customers:detail", args=[invitation.customer.tenant_id])
    return reverse("invitations:list")


@never_cache
@agent_required
@require(permissions.can_invite)
@require_http_methods(["GET", "POST"])
def revoke(request, public_id):
    """Revoke asks first: a GET (or a POST without ``confirm``) shows what revoking does; only
    the confirmation's own POST revokes."""
    invitation = _own_invitation(request, public_id)
    back = request.POST.get("back") or request.GET.get("back")
    if request.method == "GET" or request.POST.get("confirm") != "yes":
        return render(
            request,
            "invitations/revoke_confirm.html",
            {
                "invitation": invitation,
                "back": "customer" if back == "customer" else "",
                "cancel_url": _back_to(invitation, back),
            },
            status=200 if invitation.can_revoke else 409,
        )
    try:
        services.revoke_invitation(invitation=invitation)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request,
            _("The invitation for %(customer)s was revoked; its link no longer works.")
            % {"customer": invitation.customer.company_name},
        )
    return redirect(_back_to(invitation, back))


PANEL_ROWS = 10


def invitations_panel(request: AgentRequest, relationship: Relationship) -> Fragment:
    """Account info: this partner's invitations to this customer, newest first, one query."""
    customer = relationship.customer
    rows = list(
        Invitation.objects.filter(customer=customer, partner_id=relationship.partner_id)
        .select_related("customer")
        .with_standing()
        .order_by("-created_at", "-id")[: PANEL_ROWS + 1]
    )
    return Fragment(
        "invitations/_panel.html",
        {
            "invitations": rows[:PANEL_ROWS],
            "more": len(rows) > PANEL_ROWS,
            "can_attest": permissions.can_attest(request.user),
            # Only the partner that sent an invitation acts on it (a provider only reads).
            "may_act": permissions.can_invite(request.user) and relationship.is_own,
        },
    )


DECLINED_ROWS = 10
# How long a decline stays on the dashboard (the invitations list keeps them all).
DECLINED_FOR = datetime.timedelta(days=30)


def declined_queue_rows(request: AgentRequest) -> Fragment | None:
    """The dashboard's "Needs your action" queue (portal.dashboard.queue_rows): invitations
    customers declined lately, with their reasons and a Resend, newest first, one query; a
    declined invitation resent since has left it."""
    if request.user.partner_id is None or not permissions.can_invite(request.user):
        return None
    rows = list(
        Invitation.objects.filter(
            partner_id=request.user.partner_id,
            status=InvitationStatus.DECLINED,
            declined_at__gte=timezone.now() - DECLINED_FOR,
            replaced_by__isnull=True,
        )
        .select_related("customer")
        .with_standing()
        .order_by("-declined_at", "-id")[:DECLINED_ROWS]
    )
    if not rows:
        return None
    return Fragment("invitations/_declined.html", {"declined_invitations": rows})
