"""A4: the published agreement templates and their download; A2: attesting for a customer,
and a reseller asking its provider to. Also the agreement section of Account info and the
dashboard's attestation queue (registered in apps.py)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpResponseNotModified,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_countries import countries

from agreements.exports import csv_lines
from agreements.forms import AttestationForm, CountryChoiceForm
from agreements.models import (
    Acceptance,
    AcceptanceMethod,
    AgreementDocument,
    AgreementType,
    AttestationRequest,
    Channel,
)
from agreements.receipts import KEYS_PATH, receipt_filename, receipt_for
from agreements.selectors import (
    documents_for,
    history_rows,
    latest_acceptance,
    pick_language,
    record_in_history,
    requirement_for,
)
from agreements.services import record_acceptance, request_attestation
from agreements.signing import key_set
from customers import selectors
from customers.filters import CustomerListFilter
from customers.models import AgreementStatus, Relationship
from portal import permissions
from portal.collation import sorted_by_name
from portal.decorators import AgentRequest, agent_required
from portal.fragments import Fragment
from portal.models import PartnerKind
from portal.net import client_ip, user_agent
from portal.pagination import BoundedPaginator

QUEUE_SIZE = 50
# Account info's history: the newest records, then older ones a page at a time.
HISTORY_PAGE_SIZE = 20


def _error_messages(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def latest_documents() -> list[AgreementDocument]:
    """The latest published version's documents of each country that has one, one a language
    (Partner Center offers en-US beside cs-CZ for Czechia), in one query."""
    latest: dict[str, list[AgreementDocument]] = {}
    for document in (
        AgreementDocument.objects.published()
        .filter(template__agreement_type=AgreementType.MCA)
        .select_related("template")
        .order_by("country", "-template__version_rank", "language")
    ):
        found = latest.setdefault(document.country.code, [])
        if not found or found[0].template_id == document.template_id:
            found.append(document)
    return [
        document
        for code in sorted_by_name(latest, lambda code: str(countries.name(code)))
        for document in latest[code]
    ]


@agent_required
@require_GET
def templates(request):
    form = CountryChoiceForm(
        request.GET or None, initial={"country": request.user.partner.country.code}
    )
    chosen = form.cleaned_data["country"] if form.is_valid() else None
    return render(
        request,
        "agreements/templates.html",
        {
            "form": form,
            "chosen_country": chosen,
            "chosen_country_name": countries.name(chosen) if chosen else "",
            "chosen_documents": documents_for(chosen) if chosen else [],
            "documents": latest_documents(),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@agent_required
@require_GET
def download(request, country: str):
    """Streams the latest document for a country, in ``?language=`` if given (else the first
    by its tag); its SHA-256 is the ETag."""
    code = country.upper()
    language = request.GET.get("language", "").strip()
    documents = documents_for(code) if code in countries else []
    if language:
        documents = [item for item in documents if item.language.lower() == language.lower()]
    document = documents[0] if documents else None
    if document is None:
        return render(
            request,
            "agreements/no_document.html",
            {
                "country": code,
                "country_name": countries.name(code) or code,
                "language": language[:20],
            },
            status=404,
        )
    etag = f'"{document.sha256}"'
    response: HttpResponseNotModified | FileResponse
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.filename,
            content_type=document.content_type,
        )
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return response


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


def _table_rows(customer, records: list[Acceptance]) -> list[Acceptance]:
    """What each row shows that costs something to work out, worked out once a page: the
    receipt link from one reversed URL (not a reverse() a row), the method and channel
    labels translated once (get_FOO_display builds and translates them again for every row)."""
    placeholder = str(uuid.UUID(int=0))
    prefix, suffix = reverse("customers:receipt", args=[customer.tenant_id, placeholder]).rsplit(
        placeholder, 1
    )
    methods = {value: str(label) for value, label in AcceptanceMethod.choices}
    channels = {value: str(label) for value, label in Channel.choices}
    for record in records:
        # For the template alone; no column or property of the model.
        vars(record).update(
            receipt_url=f"{prefix}{record.public_id}{suffix}",
            method_label=methods.get(record.method, record.method),
            channel_label=channels.get(record.channel, record.channel),
        )
    return records


def _customer_language_first(documents: list[AgreementDocument], language: str):
    preferred = pick_language(documents, language)
    return sorted(documents, key=lambda document: document is not preferred)


def agreement_panel(request: AgentRequest, relationship: Relationship) -> Fragment:
    """Account info's agreement section: status, latest record, a page of the history (newest
    first, HISTORY_PAGE_SIZE records), the template."""
    customer = relationship.customer
    records = history_rows(customer, relationship.partner)
    page = BoundedPaginator(records, HISTORY_PAGE_SIZE).get_page(request.GET.get("history"))
    history = _table_rows(customer, list(page.object_list))
    if page.number == 1:
        latest = history[0] if history else None
    else:
        latest = records.first()
    return Fragment(
        "agreements/_customer_panel.html",
        {
            "latest": latest,
            "history": history,
            "history_page": page,
            # The latest version's documents, the customer's language first.
            "documents": _customer_language_first(
                documents_for(customer.country.code), customer.language
            ),
            "reacceptance": (
                requirement_for(customer.country.code).due_for
                if relationship.agreement_status == AgreementStatus.DUE
                else None
            ),
            "due_status": AgreementStatus.DUE,
            "open_request": _open_attestation_request(customer, request.user.partner),
            "can_attest": permissions.can_attest(request.user),
            "can_request_attestation": permissions.can_request_attestation(request.user),
            # Its records name the customer's admin and the inviting partner as two facts.
            "direct_acceptance": AcceptanceMethod.DIRECT_ACCEPTANCE,
        },
    )


def attestation_queue_section(request: AgentRequest) -> Fragment | None:
    """The dashboard's attestation queue (R3): a provider's resellers' requests waiting for
    it, or a reseller's own requests still waiting for its provider."""
    partner = request.user.partner
    if partner is None:  # not an agent: no queue to show
        return None
    open_requests = (
        AttestationRequest.objects.filter(resolved_at__isnull=True)
        .select_related("customer", "reseller", "requested_by")
        .order_by("requested_at", "id")
    )
    if partner.kind == PartnerKind.INDIRECT_PROVIDER and permissions.can_attest(request.user):
        queue = list(open_requests.filter(provider=partner)[:QUEUE_SIZE])
        return Fragment(
            "agreements/_attestation_queue.html",
            {"shows_attestation_queue": True, "attestation_queue": queue, "partner": partner},
        )
    if partner.is_reseller:
        queue = list(open_requests.filter(reseller=partner)[:QUEUE_SIZE])
        if queue:
            return Fragment(
                "agreements/_attestation_queue.html",
                {"shows_attestation_queue": False, "attestation_queue": queue, "partner": partner},
            )
    return None


def _reseller_cannot_attest(request, relationship, *, status=403, errors=()):
    """R3: explain who attests instead of showing the form, and offer to ask them."""
    customer = relationship.customer
    return render(
        request,
        "agreements/attest_reseller.html",
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


def _attestation_initial(customer, latest: Acceptance | None) -> dict:
    """Update starts from the record on file, else from the customer's primary contact."""
    if latest is not None:
        return {
            "first_name": latest.first_name,
            "last_name": latest.last_name,
            "email": latest.email,
            "phone": latest.phone,
            "date_agreed": latest.date_agreed,
        }
    return {
        "first_name": customer.contact_first_name,
        "last_name": customer.contact_last_name,
        "email": customer.contact_email,
        "phone": customer.contact_phone,
    }


@agent_required
@require_http_methods(["GET", "POST"])
def attest(request, tenant_id):
    relationship = selectors.get_relationship_for(request.user, tenant_id)
    customer = relationship.customer
    if not permissions.can_attest(request.user):
        if request.user.partner.is_reseller:
            return _reseller_cannot_attest(request, relationship)
        raise PermissionDenied
    latest = latest_acceptance(customer, request.user.partner)

    if request.method == "POST":
        form = AttestationForm(
            request.POST, country=customer.country.code, preferred_language=customer.language
        )
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
                    template=form.recorded,
                    language=form.cleaned_data.get("agreement_language") or None,
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
        form = AttestationForm(
            initial=_attestation_initial(customer, latest),
            country=customer.country.code,
            preferred_language=customer.language,
        )
        status = 200
    return render(
        request,
        "agreements/attest.html",
        {"customer": customer, "relationship": relationship, "form": form, "latest": latest},
        status=status,
    )


@agent_required
@require_POST
def ask_provider_to_attest(request, tenant_id):
    relationship = selectors.get_relationship_for(request.user, tenant_id)
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


def _receipt_response(acceptance: Acceptance, request) -> JsonResponse:
    body = receipt_for(acceptance, request.build_absolute_uri(KEYS_PATH))
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{receipt_filename(acceptance)}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@agent_required
@require_GET
def receipt(request, tenant_id, record_id):
    """The signed receipt of one record on Account info's history, as a file to keep."""
    relationship = selectors.get_relationship_for(request.user, tenant_id)
    acceptance = record_in_history(relationship.customer, relationship.partner, record_id)
    if acceptance is None:
        raise Http404
    return _receipt_response(acceptance, request)


@login_not_required
@require_GET
def evidence_keys(request):
    """The public keys receipts and checkpoints verify with (a JSON Web Key Set)."""
    response = JsonResponse(key_set())
    patch_cache_control(response, public=True, max_age=300)
    return response


# The customers list's own parameters that say nothing about which customers are listed.
NOT_FILTERS = ("page", "sort")


def export_link(request: AgentRequest) -> Fragment:
    """The customers list's "Export CSV" (customers.panels.list_actions): the same customers
    as the list shows, by its search and filters."""
    query = request.GET.copy()
    for name in NOT_FILTERS:
        query.pop(name, None)
    url = reverse("customers:export")
    return Fragment(
        "agreements/_export_link.html",
        {"export_url": f"{url}?{query.urlencode()}" if query else url},
    )


@agent_required
@require_GET
def export_customers(request):
    """The customers list with its search and filters, as customer agreement records (CSV),
    streamed: every agent may export what it may list, scoped as the list is (R4)."""
    listing = CustomerListFilter(request.GET or None, queryset=Relationship.objects.all())
    if listing.is_bound and not listing.is_valid():
        return render(request, "agreements/export_invalid.html", {"form": listing.form}, status=400)
    parts = selectors.visible_by_partner(request.user.partner, listing.qs)
    response = StreamingHttpResponse(csv_lines(parts), content_type="text/csv; charset=utf-8")
    filename = f"customer-agreement-records-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Personal data: kept by no cache on the way.
    patch_cache_control(response, private=True, no_store=True)
    return response
