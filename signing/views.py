"""Signing links on the web: the agent starts, shows once, sends, resends and revokes a request
(Account info's section and the order prompt's third choice); the partner's admin lists the
origins that may embed the signing page; the signatory's page at the link (no account)."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agreements.services import AttestationNotAllowed, reseller_cannot_attest_message
from customers import selectors as customer_selectors
from customers.models import Relationship
from portal import permissions
from portal.decorators import AgentRequest, agent_required, require
from portal.fragments import Fragment
from portal.hashing import hash_token
from portal.net import client_ip, user_agent
from portal.once import ShownOnce
from signing import email as mail
from signing import selectors, services
from signing.forms import (
    AcceptForm,
    CodeForm,
    DeclineForm,
    FramingForm,
    StartSigningForm,
    document_choice,
)
from signing.models import FramingSettings, SigningRequest, SigningStatus

# The raw link lives here only between starting a request and its page's first render (R7).
LINKS = ShownOnce("signing_links")


def _errors(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


# --- The agent's side -----------------------------------------------------------------------


def signing_panel(request: AgentRequest, relationship: Relationship) -> Fragment | None:
    """Account info: this partner's signing links for this customer, newest first."""
    partner = request.user.partner
    if partner is None or partner.is_reseller:
        return None
    rows = selectors.panel_rows(relationship.customer, partner)
    return Fragment(
        "signing/_panel.html",
        {
            "signing_requests": rows[: selectors.PANEL_ROWS],
            "signing_more": len(rows) > selectors.PANEL_ROWS,
            "can_start_signing": permissions.can_attest(request.user),
        },
    )


def queue_rows(request: AgentRequest) -> Fragment | None:
    """The dashboard's "Needs your action" queue (portal.dashboard.queue_rows): links declined,
    expired or revoked lately, most urgent first, each with the actions the agent's role
    allows — resend with a new link, or start a new request (maybe to another signatory).
    The actions' own views refuse them again on the server. One query."""
    partner = request.user.partner
    if partner is None or partner.is_reseller:
        return None
    rows = selectors.needing_attention(partner)
    if not rows:
        return None
    return Fragment(
        "signing/_queue_rows.html",
        {
            "signing_rows": rows[: selectors.ATTENTION_ROWS],
            "signing_more": len(rows) > selectors.ATTENTION_ROWS,
            "can_start_signing": permissions.can_attest(request.user),
        },
    )


def order_prompt(request: AgentRequest, relationship: Relationship) -> Fragment | None:
    """The order gate's prompt: a third choice, a signing link to the customer's signatory."""
    if not permissions.can_attest(request.user):
        return None
    return Fragment("signing/_order_prompt.html", {"customer": relationship.customer})


def _reseller_refused(request, relationship):
    return render(
        request,
        "signing/reseller.html",
        {
            "customer": relationship.customer,
            "message": reseller_cannot_attest_message(request.user.partner),
        },
        status=403,
    )


def _initial_agreement(customer, documents) -> str | None:
    document = selectors.default_document(customer, documents)
    return document_choice(document) if document else None


@never_cache
@agent_required
@require_http_methods(["GET", "POST"])
def start(request, tenant_id):
    relationship = customer_selectors.get_relationship_for(request.user, tenant_id)
    customer = relationship.customer
    if not permissions.can_attest(request.user):
        if request.user.partner.is_reseller:
            return _reseller_refused(request, relationship)
        raise PermissionDenied
    documents = selectors.documents_in_force()
    status = 200
    on_record_warning = False
    if request.method == "POST":
        form = StartSigningForm(request.POST, documents=documents)
        if form.is_valid():
            try:
                signing_request, token = services.start_signing(
                    customer=customer,
                    partner=request.user.partner,
                    started_by=request.user,
                    signatory=form.signatory(),
                    document=form.cleaned_data["agreement"],
                    expires_in_days=form.cleaned_data["expires_in_days"],
                    on_record_acknowledged=form.cleaned_data["on_record_acknowledged"],
                )
            except services.AlreadyOnRecord as error:
                on_record_warning = True
                form.add_error(None, _errors(error))
                status = 409
            except services.SigningAlreadyOpen as error:
                form.add_error(None, _errors(error))
                status = 409
            except (AttestationNotAllowed, services.SigningError) as error:
                form.add_error(None, _errors(error))
                status = 400
            else:
                LINKS.keep(request, signing_request.public_id, mail.signing_link(token))
                return redirect("signing:link", public_id=signing_request.public_id)
        else:
            status = 400
    else:
        form = StartSigningForm(
            documents=documents,
            initial={
                "first_name": customer.contact_first_name,
                "last_name": customer.contact_last_name,
                "email": customer.contact_email,
                "phone": customer.contact_phone,
                "agreement": _initial_agreement(customer, documents),
            },
        )
    return render(
        request,
        "signing/start.html",
        {
            "customer": customer,
            "relationship": relationship,
            "form": form,
            "on_record_warning": on_record_warning,
        },
        status=status,
    )


def _link_page(
    request, signing_request: SigningRequest, link: str | None, status: int = 200, error: str = ""
):
    message = mail.link_email(signing_request, link) if link else None
    return render(
        request,
        "signing/link.html",
        {
            "signing_request": signing_request,
            "customer": signing_request.customer,
            "link": link,
            "message": message,
            "error": error,
            "may_manage_embedding": permissions.can_manage_signing_embedding(request.user),
        },
        status=status,
    )


@never_cache
@agent_required
@require(permissions.can_attest)
@require_GET
def link(request, public_id):
    """The link, shown on this first render only (R7), with Copy, Open in email and Send."""
    signing_request = selectors.get_request_for(request.user, public_id)
    return _link_page(request, signing_request, LINKS.take(request, signing_request.public_id))


def _link_if_current(signing_request: SigningRequest, candidate: str) -> str | None:
    """The candidate when it is exactly this open request's link (we keep only its hash)."""
    prefix = mail.signing_link("TOKEN").rsplit("TOKEN", 1)[0]
    if not candidate.startswith(prefix):
        return None
    token = candidate[len(prefix) :].rstrip("/")
    if hash_token(token) != signing_request.token_hash or candidate != mail.signing_link(token):
        return None
    return candidate if signing_request.is_open else None


@never_cache
@agent_required
@require(permissions.can_attest)
@require_POST
def send(request, public_id):
    signing_request = selectors.get_request_for(request.user, public_id)
    link = _link_if_current(signing_request, request.POST.get("link", ""))
    if link is None:
        return _link_page(
            request,
            signing_request,
            None,
            status=409,
            error=_(
                "This page no longer has a working link. Resend the signing link to get a new one."
            ),
        )
    services.send_link(request=signing_request, link=link)
    messages.success(
        request, _("The signing link was sent to %(email)s.") % {"email": signing_request.email}
    )
    return redirect("customers:detail", tenant_id=signing_request.customer.tenant_id)


@agent_required
@require(permissions.can_attest)
@require_POST
def resend(request, public_id):
    signing_request = selectors.get_request_for(request.user, public_id)
    try:
        new, token = services.resend_signing(request=signing_request, started_by=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("customers:detail", tenant_id=signing_request.customer.tenant_id)
    LINKS.keep(request, new.public_id, mail.signing_link(token))
    return redirect("signing:link", public_id=new.public_id)


@agent_required
@require(permissions.can_attest)
@require_POST
def revoke(request, public_id):
    signing_request = selectors.get_request_for(request.user, public_id)
    try:
        services.revoke_signing(request=signing_request)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request,
            _("The signing link for %(name)s was revoked; it no longer works.")
            % {"name": signing_request.full_name},
        )
    return redirect("customers:detail", tenant_id=signing_request.customer.tenant_id)


def embedding_section(request: AgentRequest) -> Fragment | None:
    """Partner profile: where to choose the sites that may embed the signing page (no query)."""
    if not permissions.can_manage_signing_embedding(request.user):
        return None
    return Fragment("signing/_profile_embedding.html")


@never_cache
@agent_required
@require(permissions.can_manage_signing_embedding)
@require_http_methods(["GET", "POST"])
def framing(request):
    """The partner's admin lists the origins that may embed its signing pages."""
    partner = request.user.partner
    current = FramingSettings.objects.filter(partner=partner).first()
    if request.method == "POST":
        form = FramingForm(request.POST)
        if form.is_valid():
            FramingSettings.objects.update_or_create(
                partner=partner, defaults={"allowed_origins": form.cleaned_data["allowed_origins"]}
            )
            messages.success(request, _("The signing page's embedding settings were saved."))
            return redirect("signing:framing")
        status = 400
    else:
        form = FramingForm(initial={"allowed_origins": current.allowed_origins if current else ""})
        status = 200
    return render(
        request, "signing/framing.html", {"form": form, "partner": partner}, status=status
    )


# --- The signatory's page -------------------------------------------------------------------


def framed_for_partner(
    response: HttpResponse, signing_request: SigningRequest | None
) -> HttpResponse:
    """Only the signing page may be framed, and only by the origins its partner lists: it
    sends its own CSP (frame-ancestors those origins) and no X-Frame-Options."""
    origins = selectors.frame_origins(signing_request.partner_id) if signing_request else []
    if origins:
        policy = settings.CONTENT_SECURITY_POLICY.replace(
            "frame-ancestors 'none'", "frame-ancestors " + " ".join(origins)
        )
        response["Content-Security-Policy"] = policy
        response.xframe_options_exempt = True
    patch_cache_control(response, private=True, no_store=True)
    response["Referrer-Policy"] = "no-referrer"
    return response


def signing_page(view):
    """The signatory's pages: no account (the link is the credential), no CSRF cookie (the
    token in the address is a secret no other site knows, and a framed page gets no
    SameSite=Lax cookie), in the agreement's language, framed only as the partner allows."""

    @wraps(view)
    def wrapper(request, token, *args, **kwargs):
        signing_request = services.find_by_token(token)
        if signing_request is None:
            response = render(request, "signing/unknown.html", status=404)
            return framed_for_partner(response, None)
        with translation.override(mail.page_language(signing_request)):
            response = view(request, signing_request, token, *args, **kwargs)
        return framed_for_partner(response, signing_request)

    return login_not_required(csrf_exempt(wrapper))


def _closed_page(request, signing_request: SigningRequest, token: str, status: int = 410):
    return render(
        request,
        "signing/closed.html",
        {
            "signing_request": signing_request,
            "status": signing_request.effective_status,
            "token": token,
        },
        status=200
        if signing_request.status in (SigningStatus.ACCEPTED, SigningStatus.DECLINED)
        else status,
    )


def _code_page(request, signing_request, token, *, form=None, error="", status=200):
    return render(
        request,
        "signing/code.html",
        {
            "signing_request": signing_request,
            "token": token,
            "form": form or CodeForm(),
            "error": error,
            "has_code": bool(signing_request.code_hash),
            "wait": services.code_wait(signing_request),
        },
        status=status,
    )


@signing_page
@require_GET
def sign(request, signing_request, token):
    """Step 1: the signatory proves control of the email with a one-time code."""
    if not signing_request.is_open:
        return _closed_page(request, signing_request, token)
    services.mark_opened(signing_request)
    return _code_page(request, signing_request, token)


@signing_page
@require_POST
def send_code(request, signing_request, token):
    if not signing_request.is_open:
        return _closed_page(request, signing_request, token)
    try:
        services.send_code(request=signing_request)
    except services.CodeRateLimited as error:
        return _code_page(request, signing_request, token, error=_errors(error), status=429)
    except services.SigningNotOpen:
        return _closed_page(request, signing_request, token)
    return redirect("signing:sign", token=token)


def _review_page(
    request, signing_request, token, proof, *, accept_form=None, decline_form=None, status=200
):
    document = signing_request.document
    return render(
        request,
        "signing/review.html",
        {
            "signing_request": signing_request,
            "token": token,
            "document": document,
            "document_text": document.read_text() if document.is_text else "",
            "accept_form": accept_form
            or AcceptForm(
                initial={
                    "proof": proof,
                    "phone": signing_request.phone,
                    "job_title": signing_request.job_title,
                }
            ),
            "decline_form": decline_form
            or DeclineForm(initial={"proof": proof}, auto_id="decline_%s"),
        },
        status=status,
    )


@signing_page
@require_POST
def verify(request, signing_request, token):
    """Step 1 done: a right code opens steps 2 to 4 on this page (the proof goes along)."""
    if not signing_request.is_open:
        return _closed_page(request, signing_request, token)
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _code_page(request, signing_request, token, form=form, status=400)
    try:
        proof = services.verify_code(request=signing_request, code=form.cleaned_data["code"])
    except services.SigningNotOpen:
        return _closed_page(request, signing_request, token)
    except services.CodeRefused as error:
        signing_request.refresh_from_db()
        return _code_page(request, signing_request, token, error=_errors(error), status=400)
    return _review_page(request, signing_request, token, proof)


@signing_page
@require_POST
def answer(request, signing_request, token):
    """Step 4: accept (with the confirmations and the typed signature) or decline."""
    if not signing_request.is_open:
        return _closed_page(request, signing_request, token)
    proof = request.POST.get("proof", "")
    if not services.proof_is_valid(signing_request, proof):
        return _code_page(
            request,
            signing_request,
            token,
            error=_("Your code check has run out. Send a new code to continue."),
            status=403,
        )
    declining = "decline" in request.POST
    accept_form = AcceptForm(request.POST) if not declining else None
    decline_form = DeclineForm(request.POST, auto_id="decline_%s") if declining else None
    form = decline_form if declining else accept_form
    assert form is not None
    if form.is_valid():
        try:
            if declining:
                services.decline_signing(
                    request=signing_request, proof=proof, reason=form.cleaned_data["reason"]
                )
            else:
                services.accept_signing(
                    request=signing_request,
                    proof=proof,
                    phone=form.cleaned_data["phone"] or "",
                    job_title=form.cleaned_data["job_title"],
                    typed_signature=form.cleaned_data["typed_signature"],
                    ip_address=client_ip(request),
                    user_agent=user_agent(request),
                )
        except services.SigningNotOpen:
            signing_request.refresh_from_db()
            return _closed_page(request, signing_request, token)
        except services.CodeRefused as error:
            return _code_page(request, signing_request, token, error=_errors(error), status=403)
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            return redirect("signing:sign", token=token)
    return _review_page(
        request,
        signing_request,
        token,
        proof,
        accept_form=accept_form,
        decline_form=decline_form,
        status=400,
    )


@signing_page
@require_GET
def document(request, signing_request, token):
    """The exact document the signatory is asked to accept (its SHA-256 is the ETag)."""
    if not signing_request.is_open and signing_request.status != SigningStatus.ACCEPTED:
        raise Http404
    agreement = signing_request.document
    response = FileResponse(
        agreement.file.open("rb"),
        as_attachment=True,
        filename=agreement.filename,
        content_type=agreement.content_type,
    )
    response["ETag"] = f'"{agreement.sha256}"'
    return response
