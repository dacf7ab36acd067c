"""The customer-facing admin center: sign-in, password change, invitations, partners (C, D)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from admin_center.forms import (
    AcceptForm,
    CustomerPasswordChangeForm,
    DeclineForm,
    RelationshipRequestForm,
    shown_document_value,
)
from agreements.models import Acceptance
from agreements.selectors import (
    NoAgreementDocument,
    document_for,
    documents_for,
    latest_acceptance,
)
from customers.models import AgreementStatus, Customer, Relationship, RelationshipStatus
from invitations import services
from invitations.models import Invitation, InvitationStatus
from portal.collation import sorted_by_name
from portal.decorators import customer_admin_or_visitor, customer_admin_required
from portal.models import Partner, Role, User
from portal.net import client_ip, user_agent


class CustomerSignInForm(AuthenticationForm):
    """Admin-center sign-in: customer admins only; agents use Partner Center."""

    username = forms.EmailField(
        label=_("Sign-in name"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Enter a correct sign-in name and password."),
        "not_customer": _(
            "This sign-in is for customer admins. Partner agents sign in to the partner portal."
        ),
        "operator": _("This sign-in is for customer admins. Operators sign in at /admin/."),
    }

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not user.customer_id:
            code = "operator" if user.is_staff and not user.partner_id else "not_customer"
            raise forms.ValidationError(self.error_messages[code], code=code)


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    form_class = CustomerSignInForm
    template_name = "admin_center/login.html"
    redirect_authenticated_user = False

    def get_default_redirect_url(self):
        return str(reverse_lazy("admin_center:home"))


class SignOutView(auth_views.LogoutView):
    next_page = "admin_center:login"  # a URL name: LogoutView resolves it with resolve_url()


@method_decorator(customer_admin_required, name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = CustomerPasswordChangeForm
    template_name = "admin_center/password_change.html"
    success_url = reverse_lazy("admin_center:home")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        messages.success(self.request, _("Your password has been changed."))
        return response

    def get_success_url(self):
        candidate = self.request.POST.get("next") or self.request.GET.get("next")
        if (
            candidate
            and candidate.startswith("/admin-center/")
            and url_has_allowed_host_and_scheme(candidate, allowed_hosts={self.request.get_host()})
        ):
            return candidate
        return str(self.success_url)


# Partner Center's generic link: /admin-center/?invType=ResellerRelationship&partnerId=…
RELATIONSHIP_REQUEST_TYPE = "ResellerRelationship"


@login_not_required
@require_GET
def home(request):
    """The customer's home; Partner Center's query-string link goes on to its own page first,
    before sign-in, so the visitor sees who asks."""
    if request.GET.get("invType") == RELATIONSHIP_REQUEST_TYPE and "partnerId" in request.GET:
        partner_id = request.GET["partnerId"]
        if not partner_id or "/" in partner_id:
            return _unknown_partner(request)
        return redirect("admin_center:relationship_request", partner_id=partner_id)
    return _customer_home(request)


@customer_admin_required
def _customer_home(request):
    customer = request.user.customer
    relationships = sorted_by_name(
        Relationship.objects.filter(customer=customer)
        .select_related("partner")
        .order_by("partner__name", "partner_id"),
        lambda relationship: relationship.partner.name,
    )
    open_invitations = list(
        Invitation.objects.live()
        .filter(customer=customer)
        .select_related("partner")
        .order_by("-created_at")
    )
    return render(
        request,
        "admin_center/home.html",
        {
            "customer": customer,
            "relationships": relationships,
            "open_invitations": open_invitations,
            # R6 (flow D): only the partner can put the agreement on record; say so, and how
            # to reach it, rather than "no open requests" alone.
            "blocked": [
                relationship
                for relationship in relationships
                if relationship.effective_agreement_status == AgreementStatus.BLOCKED
            ],
        },
    )


# Each reason an invitation can't be used gets its own page and status, never a crash.
PROBLEM_STATUS = {
    "not_found": 404,
    "other_customer": 403,
    "revoked": 410,
    "replaced": 410,
    "expired": 410,
    "used": 410,
    "declined": 410,
    "blocked": 409,
}


def _problem(request, reason: str, invitation: Invitation | None):
    customer_id = getattr(request.user, "customer_id", None)
    own = invitation is not None and customer_id == invitation.customer_id
    return render(
        request,
        "admin_center/invitation_problem.html",
        {
            "reason": reason,
            "message": services.unavailable_message(reason),
            "invitation": invitation,
            # "Contact your partner": where the partner's contact details are.
            "partner_page_url": _partner_page(customer_id, invitation.partner)
            if reason == "blocked" and own and invitation is not None
            else None,
        },
        status=PROBLEM_STATUS[reason],
    )


def _document(customer, language: str | None = None):
    """The agreement the customer is shown: in ``language`` if published in it (the page's
    choice), else in the customer's own language where there is one."""
    try:
        return document_for(customer, language=language or None)
    except NoAgreementDocument:
        if language:
            return _document(customer)
        return None


def _language(request) -> str:
    """The language of the agreement the page shows (?language= on the page, the form's
    hidden field on accepting): a tag, or "" for the customer's own."""
    value = (request.POST.get("language") or request.GET.get("language") or "").strip()
    return value if len(value) <= 20 else ""


def _nothing_to_accept(block, document) -> bool:
    """No agreement published for the customer's country: only D2's relationship part,
    which asks for no agreement, can still be accepted."""
    return document is None and not (block.blocked and block.relationship_allowed)


# The partner's people a customer admin may contact: its admin agents, at most this many.
CONTACTS = 3


def partner_contacts(partner: Partner, sender_id: int | None = None) -> list[User]:
    """Whom at the partner the customer can contact ("contact your partner"), one query: the
    agent who sent the request first (if given and still active), then its admin agents."""
    people = list(
        User.objects.filter(partner=partner, is_active=True)
        .filter(Q(role=Role.ADMIN_AGENT) | Q(pk=sender_id or 0))
        .only("first_name", "last_name", "email")
        .order_by("last_name", "first_name", "pk")[: CONTACTS + 1]
    )
    people.sort(key=lambda person: person.pk != sender_id)
    return people[:CONTACTS]


def _partner_page(customer_id: int | None, partner: Partner) -> str | None:
    """The partner's page here (how to reach it) when the customer has a relationship with it,
    which that page needs; else None. One query."""
    if customer_id is None:
        return None
    if Relationship.objects.filter(customer_id=customer_id, partner=partner).exists():
        return reverse("admin_center:partner_detail", args=[partner.partner_id])
    return None


def _contacts_if_unnamed(partner: Partner, sender_id: int | None = None) -> list[User]:
    """The partner's people, only when it named no contact details of its own (those win)."""
    return [] if partner.has_contact_details else partner_contacts(partner, sender_id)


def _acceptance_page(
    request,
    invitation,
    block,
    form,
    status=200,
    *,
    token: str | None = None,
    notice: str = "",
):
    """The request: who asks what, the agreement, and Accept and Decline. Reached by the
    email's link (``token``) or from the home page (the invitation's public id). The form
    carries the document shown, signed, so accepting records exactly that one."""
    document = _document(invitation.customer, _language(request))
    if _nothing_to_accept(block, document):
        form = None
    if token is not None:
        accept_url = reverse("admin_center:accept", args=[token])
    else:
        accept_url = reverse("admin_center:request_accept", args=[invitation.public_id])
    return render(
        request,
        "admin_center/invitation.html",
        {
            "invitation": invitation,
            "customer": invitation.customer,
            "partner": invitation.partner,
            "acceptance_block": block,
            "blocked_message": services.blocked_message(),
            "form": form,
            "document": document,
            "document_text": document.read_text() if document and document.is_text else None,
            "shown_document": shown_document_value(document) if document else "",
            "notice": notice,
            "accept_url": accept_url,
            # Every language the latest version is published in for the customer's country.
            "documents": documents_for(invitation.customer.country.code) if document else [],
            "decline_url": reverse("admin_center:decline", args=[invitation.public_id]),
            "contacts": _contacts_if_unnamed(invitation.partner, invitation.created_by_id)
            if block.blocked
            else [],
            "partner_page_url": _partner_page(invitation.customer_id, invitation.partner)
            if block.blocked
            else None,
        },
        status=status,
    )


@customer_admin_or_visitor
@never_cache
@require_GET
def invitation(request, token: str):
    """The landing page: who asks what, before anything changes; a GET never accepts (R8)."""
    user = request.user
    found = services.find_by_token(token)
    if found is None:
        return _problem(request, "not_found", None)
    reason = services.unavailable_reason(found, user if user.is_authenticated else None)
    if reason is not None:
        return _problem(request, reason, found)
    if not user.is_authenticated:
        return render(
            request,
            "admin_center/invitation_anonymous.html",
            {
                "invitation": found,
                "partner": found.partner,
                "customer": found.customer,
                "sign_in_url": f"{reverse('admin_center:login')}?next={request.path}",
            },
        )
    return _open_request(request, found, token=token)


def _open_request(request, found: Invitation, *, token: str | None = None):
    block = services.open_invitation(found)
    if block.blocked and not block.relationship_allowed:
        return _acceptance_page(request, found, block, None, token=token)
    return _acceptance_page(
        request, found, block, AcceptForm(invitation=found, block=block), token=token
    )


def _say_accepted(request, accepted: Invitation, partner: Partner):
    """Thanks for the whole request, or (D2) for the relationship, with who attests instead;
    then the partners list, or (D2) the partner's page, which says how to reach it."""
    names = {"partner": partner.name}
    if accepted.status == InvitationStatus.ACCEPTED:
        messages.success(
            request, gettext("Thank you. You accepted the request of %(partner)s.") % names
        )
        return redirect("admin_center:partners")
    messages.success(request, gettext("You accepted %(partner)s as your reseller.") % names)
    messages.info(request, _attest_message(partner))
    return redirect("admin_center:partner_detail", partner_id=partner.partner_id)


@customer_admin_required
@require_POST
def accept(request, token: str):
    found = services.find_by_token(token)
    if found is None:
        return _problem(request, "not_found", None)
    return _accept(request, found, token=token)


def _own_request(request, public_id) -> Invitation:
    """A request to the signed-in admin's own organisation, by its public id (the home page
    has no token: only its hash is stored); any other is 404."""
    return get_object_or_404(
        Invitation.objects.select_related("partner", "partner__provider", "customer"),
        public_id=public_id,
        customer_id=request.user.customer_id,
    )


@customer_admin_required
@never_cache
@require_GET
def request_page(request, public_id):
    """An open request answered from the home page: the same page as the email's link."""
    found = _own_request(request, public_id)
    reason = services.unavailable_reason(found, request.user)
    if reason is not None:
        return _problem(request, reason, found)
    return _open_request(request, found)


@customer_admin_required
@require_POST
def request_accept(request, public_id):
    return _accept(request, _own_request(request, public_id))


def _accept(request, found: Invitation, *, token: str | None = None):
    reason = services.unavailable_reason(found, request.user)
    if reason is not None:
        return _problem(request, reason, found)
    block = services.acceptance_block(found)
    form = AcceptForm(request.POST, invitation=found, block=block)
    if block.blocked and not block.relationship_allowed:
        services.open_invitation(found)
        return _problem(request, "blocked", found)
    elif _nothing_to_accept(block, _document(found.customer)):
        # The page says once that no agreement is published; nothing is recorded.
        return _acceptance_page(request, found, block, None, status=409, token=token)
    elif form.is_valid():
        try:
            accepted = services.accept_invitation(
                invitation_id=found.pk,
                user=request.user,
                accept_agreement=form.cleaned_data.get("accept_agreement", False),
                accept_relationship=form.cleaned_data.get("accept_relationship", False),
                ip_address=client_ip(request),
                user_agent=user_agent(request),
                # The document the page showed: what the customer read is what is recorded.
                document=form.cleaned_data.get("document"),
            )
        except services.InvitationUnavailable as error:
            return _problem(request, error.code, found)
        except services.DocumentSuperseded as error:
            # The page again, with the version now in force and nothing ticked.
            return _acceptance_page(
                request,
                found,
                block,
                AcceptForm(invitation=found, block=block),
                status=409,
                token=token,
                notice=" ".join(error.messages),
            )
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            return _say_accepted(request, accepted, found.partner)
    return _acceptance_page(request, found, block, form, status=400, token=token)


@customer_admin_required
@never_cache
@require_http_methods(["GET", "POST"])
def decline(request, public_id):
    """Say no to a request, with a reason if the customer wants to give one; the partner sees
    it. A GET only shows the form."""
    found = _own_request(request, public_id)
    reason = services.unavailable_reason(found, request.user)
    if reason is not None:
        return _problem(request, reason, found)
    form = DeclineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decline_invitation(
                invitation_id=found.pk, user=request.user, reason=form.cleaned_data["reason"]
            )
        except services.InvitationUnavailable as error:
            return _problem(request, error.code, found)
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            messages.success(
                request,
                gettext("You declined the request of %(partner)s. They can see your answer.")
                % {"partner": found.partner.name},
            )
            return redirect("admin_center:home")
    return render(
        request,
        "admin_center/decline.html",
        {"invitation": found, "partner": found.partner, "form": form},
        status=400 if form.is_bound else 200,
    )


# --- the partner's standing reseller-relationship link ---------------------------------


def _unknown_partner(request):
    return render(request, "admin_center/relationship_unknown.html", status=404)


def _partner_or_none(partner_id: str) -> Partner | None:
    return Partner.objects.select_related("provider").filter(partner_id=partner_id).first()


def _agreement_blocked(partner: Partner, customer: Customer) -> bool:
    """R6 for the standing link, which has no invitation: earlier purchases mean only the
    partner's attestation can put the agreement on record. Decided by R6's one home
    (request_block, from the orders), never by a stored status."""
    return services.request_block(
        partner_id=partner.pk, customer_id=customer.pk, asks_for_relationship=True
    ).blocked


def _attest_message(partner: Partner) -> str:
    return gettext(
        "Your organisation has already bought Microsoft cloud products through a partner, so "
        "it can't accept the Microsoft Customer Agreement here. %(partner)s must attest that "
        "you accepted it: contact %(partner)s."
    ) % {"partner": partner.name}


def _relationship_page(request, partner: Partner, form, status: int = 200):
    customer = request.user.customer
    relationship = Relationship.objects.filter(partner=partner, customer=customer).first()
    already = relationship is not None and relationship.status == RelationshipStatus.ACTIVE
    has_open_invitation = (
        Invitation.objects.live().filter(partner=partner, customer=customer).exists()
    )
    return render(
        request,
        "admin_center/relationship_request.html",
        {
            "partner": partner,
            "customer": customer,
            "relationship": relationship,
            "already_active": already,
            "agreement_on_record": latest_acceptance(customer, partner) is not None,
            "agreement_blocked": not already and _agreement_blocked(partner, customer),
            "partner_page_url": reverse("admin_center:partner_detail", args=[partner.partner_id])
            if relationship is not None
            else None,
            "has_open_invitation": has_open_invitation,
            "form": None if already else form,
        },
        status=status,
    )


@customer_admin_or_visitor
@never_cache
@require_GET
def relationship_request(request, partner_id: str):
    """Who asks to become the customer's reseller; a GET never changes anything."""
    user = request.user
    partner = _partner_or_none(partner_id)
    if partner is None:
        return _unknown_partner(request)
    if not user.is_authenticated:
        return render(
            request,
            "admin_center/relationship_request_anonymous.html",
            {
                "partner": partner,
                "sign_in_url": f"{reverse('admin_center:login')}?next={request.path}",
            },
        )
    return _relationship_page(request, partner, RelationshipRequestForm(partner=partner))


@customer_admin_required
@require_POST
def accept_relationship_request(request, partner_id: str):
    partner = _partner_or_none(partner_id)
    if partner is None:
        return _unknown_partner(request)
    form = RelationshipRequestForm(request.POST, partner=partner)
    if not form.is_valid():
        return _relationship_page(request, partner, form, status=400)
    try:
        relationship = services.accept_relationship_request(
            partner=partner, customer=request.user.customer
        )
    except services.RelationshipAlreadyActive:
        return _relationship_page(request, partner, None, status=409)
    messages.success(
        request,
        gettext("You accepted %(partner)s as your reseller.") % {"partner": partner.name},
    )
    if relationship.agreement_status in (AgreementStatus.ATTESTED, AgreementStatus.ACCEPTED):
        return redirect("admin_center:partners")
    if _agreement_blocked(partner, request.user.customer):
        messages.info(request, _attest_message(partner))
        # The partner's page says how to reach it.
        return redirect("admin_center:partner_detail", partner_id=partner.partner_id)
    else:
        messages.info(
            request,
            gettext(
                "%(partner)s will ask you to accept the Microsoft Customer Agreement next, "
                "or attest that you accepted it."
            )
            % {"partner": partner.name},
        )
    return redirect("admin_center:partners")


@customer_admin_required
@require_GET
def agreement_document(request):
    """The agreement for the customer's country, the one the acceptance page shows."""
    document = _document(request.user.customer, _language(request))
    if document is None:
        return render(
            request,
            "admin_center/invitation_problem.html",
            {"reason": "no_document", "message": gettext("No agreement is published yet.")},
            status=404,
        )
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.filename,
        content_type=document.content_type,
    )


@customer_admin_required
@require_GET
def partners(request):
    """B2's end: every partner the customer works with, in one query."""
    relationships = sorted_by_name(
        Relationship.objects.filter(customer_id=request.user.customer_id)
        .select_related("partner")
        .order_by("partner__name", "partner_id"),
        lambda relationship: relationship.partner.name,
    )
    return render(request, "admin_center/partners.html", {"relationships": relationships})


@customer_admin_required
@require_GET
def partner_detail(request, partner_id: str):
    customer = request.user.customer
    relationship = get_object_or_404(
        Relationship.objects.select_related("partner", "partner__provider"),
        customer=customer,
        partner__partner_id=partner_id,
    )
    partner = relationship.partner
    acceptances = (
        Acceptance.objects.filter(customer=customer, partner=partner)
        .select_related("template")
        .order_by("-recorded_at", "-id")
    )
    invitations = Invitation.objects.filter(customer=customer, partner=partner).order_by(
        "-created_at", "-id"
    )
    # The partner's own contact details win; without them, whom it sent and its admin agents.
    contacts = []
    if not partner.has_contact_details:
        latest = invitations.values_list("created_by_id", flat=True).first()
        contacts = partner_contacts(partner, latest)
    return render(
        request,
        "admin_center/partner_detail.html",
        {
            "relationship": relationship,
            "partner": partner,
            "acceptances": acceptances,
            "invitations": invitations,
            "contacts": contacts,
        },
    )
