"""Flow E on the web: offers, new order → review (with the inline attestation prompt) → place."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agreements.forms import AttestationForm
from customers import selectors
from customers.filters import SEARCH_MAX_LENGTH, CustomerListFilter
from customers.models import Relationship
from orders.forms import OfferFilterForm, OrderFilterForm, OrderLinesForm
from orders.models import Offer, Order, OrderChannel, ProductType
from orders.prompts import review_prompts
from orders.selectors import order_totals, orderable_offers, visible_orders, with_totals
from orders.services import RENEWABLE_TYPES, OrderBlocked, order_gate, place_order
from portal import permissions
from portal.decorators import AgentRequest, agent_required
from portal.drafts import SessionDrafts
from portal.drafts import draft_id as draft_id_from
from portal.fragments import Fragment
from portal.net import client_ip, user_agent
from portal.pagination import BoundedPaginator

ORDERS_PAGE_SIZE = 25
CUSTOMERS_PAGE_SIZE = 25
OFFERS_PAGE_SIZE = 50
# Chosen lines, kept server-side under a draft id so no step retypes them.
DRAFTS = SessionDrafts("orders:drafts", limit=10)


@dataclass(frozen=True)
class Flow:
    """Where an order in progress was begun: on the customer's pages (under Customers), or at
    New order on the Orders list, whose steps stay under Orders (/orders/new/<tenant>/…, so the
    navigation keeps Orders marked) and lead back to its customer choice with the search the
    agent typed there (``q``, carried in each step's address)."""

    chosen: bool = False
    query: str = ""

    @classmethod
    def of(cls, request, chosen: bool) -> Flow:
        query = (request.GET.get("q") or "").strip() if chosen else ""
        # Longer than the choice's search takes: it would only be refused there.
        return cls(chosen, query if len(query) <= SEARCH_MAX_LENGTH else "")

    def url(self, step: str, *args, **params: str) -> str:
        """A step's address (``new``, ``review``, ``place``) in this flow."""
        url = reverse(f"orders:{step}_chosen" if self.chosen else f"orders:{step}", args=args)
        if self.query:
            params["q"] = self.query
        return f"{url}?{urlencode(params)}" if params else url

    @property
    def choice_url(self) -> str:
        url = reverse("orders:choose_customer")
        return f"{url}?{urlencode({'q': self.query})}" if self.query else url


@agent_required
@require_GET
def offer_list(request):
    form = OfferFilterForm(request.GET)
    offers = form.filter(Offer.objects.filter(is_active=True).order_by("product_type", "name"))
    page = BoundedPaginator(offers, OFFERS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "orders/offers.html",
        {"form": form, "refused": bool(form.errors), "page": page},
        status=400 if form.errors else 200,
    )


@agent_required
@require_GET
def order_list(request):
    form = OrderFilterForm(request.GET)
    orders = form.filter(
        visible_orders(request.user).select_related("customer", "partner", "placed_by")
    )
    page = BoundedPaginator(orders, ORDERS_PAGE_SIZE).get_page(request.GET.get("page"))
    with_totals(page.object_list)
    can_order = permissions.can_order(request.user)
    # Who orders, for the empty list's message: a reseller's agents are told their provider
    # does (by name); the provider is loaded only then.
    partner = request.user.partner if not page.object_list and not can_order else None
    provider = partner.provider if partner is not None and partner.is_reseller else None
    return render(
        request,
        "orders/list.html",
        {
            "form": form,
            "refused": bool(form.errors),
            "page": page,
            "can_order": can_order,
            "ordering_provider": provider,
        },
        status=400 if form.errors else 200,
    )


@agent_required
@require_GET
def customer_orders(request, tenant_id):
    relationship = selectors.get_relationship_for(request.user, tenant_id)
    orders = visible_orders(request.user).filter(customer=relationship.customer)
    page = BoundedPaginator(
        orders.select_related("partner", "placed_by"), ORDERS_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    with_totals(page.object_list)
    return render(
        request,
        "orders/customer_orders.html",
        {
            "customer": relationship.customer,
            "relationship": relationship,
            "page": page,
            "can_order": permissions.can_order(request.user),
        },
    )


@agent_required
@require_GET
def order_detail(request, order_id):
    order = (
        visible_orders(request.user)
        .select_related("customer", "partner", "placed_by", "renews")
        .filter(order_id=order_id)
        .first()
    )
    if order is None:
        raise Http404("No such order.")
    lines = list(order.lines.select_related("offer"))
    renewing = label_renewals(order, lines)
    return render(
        request,
        "orders/detail.html",
        {
            "order": order,
            "lines": lines,
            "show_renewal": True,
            # Whether some lines renew and others don't: the summary then says so.
            "mixed_renewal": 0 < renewing < len(lines),
            "totals": order_totals(
                (line.currency, line.unit_price, line.quantity) for line in lines
            ),
            "renewals": list(order.renewals.order_by("placed_at", "id")),
        },
    )


def label_renewals(order: Order, lines: list) -> int:
    """Each line's own renewal (``renewal``): a subscription renews on the order's due date, a
    perpetual licence is a one-time purchase, an Azure plan has no term. Returns how many
    lines renew automatically."""
    renewing = 0
    due = order.renewal_due if order.auto_renew else None
    for line in lines:
        if line.offer.product_type in RENEWABLE_TYPES and due:
            renewing += 1
            text = _("Renews automatically on %(due)s") % {"due": date_format(due)}
        elif line.offer.product_type == ProductType.PERPETUAL_SOFTWARE:
            text = _("One-time purchase; doesn't renew")
        elif line.offer.product_type == ProductType.AZURE_PLAN:
            text = _("Pay as you go; no term to renew")
        else:
            text = _("Doesn't renew")
        vars(line)["renewal"] = text
    return renewing


def _save_draft(request, customer, lines, draft_id: str | None = None) -> str:
    saved = DRAFTS.save(
        request,
        {
            "tenant": str(customer.tenant_id),
            "lines": [[offer.pk, quantity] for offer, quantity in lines],
        },
        draft_id,
    )
    _remember(request, SEEN_DRAFTS, saved, True)
    return saved


# What this session knows of the order drafts it began, beyond those still open: the ids it
# began (so a review link from another session is told apart from one set aside here) and the
# ones it placed, with their order. Bounded like the drafts themselves.
SEEN_DRAFTS = "orders:seen_drafts"
PLACED_DRAFTS = "orders:placed_drafts"
REMEMBERED_DRAFTS = 50


def _remember(request, key: str, draft_id: str, value) -> None:
    known = request.session.get(key, {})
    known.pop(draft_id, None)
    known[draft_id] = value
    while len(known) > REMEMBERED_DRAFTS:
        known.pop(next(iter(known)))
    request.session[key] = known


def _load_draft(request, customer, draft_id) -> list[tuple[Offer, int]] | None:
    draft = DRAFTS.get(request, draft_id)
    if draft is None or draft["tenant"] != str(customer.tenant_id):
        return None
    offers = Offer.objects.in_bulk([offer_pk for offer_pk, _quantity in draft["lines"]])
    return [
        (offers[offer_pk], quantity) for offer_pk, quantity in draft["lines"] if offer_pk in offers
    ]


def _ordering_relationship(request, tenant_id):
    """The relationship an order is placed on: the reseller's for a reseller's customer."""
    return selectors.get_relationship_for(request.user, tenant_id)


def may_order(view):
    """Stack under @agent_required: admin and sales agents of a partner that orders. A
    reseller's agent is told who orders for its customers (its provider, by name), never to
    ask its own admins, who can't either; anyone else gets the ordinary 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if permissions.can_order(request.user):
            return view(request, *args, **kwargs)
        partner = request.user.partner
        if partner is not None and partner.is_reseller:
            return render(
                request,
                "orders/ordered_by_provider.html",
                {"provider": partner.provider, "partner": partner},
                status=403,
            )
        raise PermissionDenied

    return wrapper


@agent_required
@may_order
@require_http_methods(["GET", "POST"])
def new_order(request, tenant_id, chosen=False):
    flow = Flow.of(request, chosen)
    relationship = _ordering_relationship(request, tenant_id)
    customer = relationship.customer
    decision = order_gate(customer, relationship.partner)
    # Offers are worth choosing when the order can go ahead now or after the inline
    # attestation; not while, say, the customer hasn't accepted the relationship yet.
    can_choose = decision.allowed or decision.needs_acceptance
    offers = list(orderable_offers(customer)) if can_choose else []
    if request.method == "POST":
        draft_id = draft_id_from(request.POST.get("draft"))
        form = OrderLinesForm(request.POST, offers=offers)
        if not can_choose:
            form.add_error(None, decision.reason)
        elif form.is_valid():
            draft = _save_draft(request, customer, form.lines(), draft_id)
            return redirect(flow.url("review", customer.tenant_id, draft))
    else:
        # "Change" on the review page comes back here with the draft's quantities.
        draft_id = draft_id_from(request.GET.get("draft"))
        lines = _load_draft(request, customer, draft_id) if draft_id else None
        if not lines:
            draft_id = None
        form = OrderLinesForm(
            initial={OrderLinesForm.field_name(offer): qty for offer, qty in lines or []},
            offers=offers,
        )
    return render(
        request,
        "orders/new.html",
        {
            "customer": customer,
            "relationship": relationship,
            "form": form,
            "draft_id": str(draft_id) if draft_id else "",
            "decision": decision,
            "can_choose": can_choose,
            "flow": flow,
            "flow_action": flow.url("new", customer.tenant_id),
        },
        status=400 if form.errors else 200,
    )


@agent_required
@may_order
@require_GET
def choose_customer(request):
    """New order from the Orders list: an order is placed for one customer, so the agent
    chooses it here (the customers list's search, at any size) and goes on to its order."""
    query = request.GET.get("q")
    listing = CustomerListFilter(
        {"q": query} if query else None, queryset=selectors.relationships_for(request.user)
    )
    page = listing.page(request.user.partner, request.GET.get("page"), CUSTOMERS_PAGE_SIZE)
    return render(
        request,
        "orders/choose_customer.html",
        {
            "form": listing.form,
            "refused": listing.refused,
            "page": page,
            "searched": bool(query),
            # Each customer's order keeps the search, for its way back here (Flow).
            "flow_query": f"?{urlencode({'q': query})}" if query and not listing.refused else "",
        },
        status=400 if listing.refused else 200,
    )


def _attestation_form(customer, data=None) -> AttestationForm:
    """The inline prompt, pre-filled from the customer's primary contact."""
    return AttestationForm(
        data,
        prefix="attestation",
        country=customer.country.code,
        preferred_language=customer.language,
        initial={
            "first_name": customer.contact_first_name,
            "last_name": customer.contact_last_name,
            "email": customer.contact_email,
            "phone": customer.contact_phone,
        },
    )


def _render_review(
    request, relationship, draft_id, lines, *, flow, form=None, errors=(), status=200
):
    customer = relationship.customer
    decision = order_gate(customer, relationship.partner)
    may_attest = decision.needs_acceptance and permissions.can_attest(request.user)
    return render(
        request,
        "orders/review.html",
        {
            "customer": customer,
            "relationship": relationship,
            "draft_id": draft_id,
            "lines": [
                {
                    "offer": offer,
                    "quantity": quantity,
                    "unit_price": offer.unit_price,
                    "currency": offer.currency,
                    "amount": offer.unit_price * quantity,
                }
                for offer, quantity in lines
            ],
            "totals": order_totals(
                (offer.currency, offer.unit_price, quantity) for offer, quantity in lines
            ),
            "decision": decision,
            "form": (form or _attestation_form(customer)) if may_attest else None,
            "prompts": review_prompts.render(request, relationship) if may_attest else [],
            "errors": errors,
            "flow": flow,
            "change_url": flow.url("new", customer.tenant_id, draft=draft_id),
            "place_url": flow.url("place", customer.tenant_id, draft_id),
        },
        status=status,
    )


def _draft_or_restart(request, customer, draft_id):
    """The draft's lines, or None with a message that says why it is gone: placed already,
    set aside here for newer orders, or begun in another session (a draft lives only in the
    session that began it)."""
    lines = _load_draft(request, customer, draft_id)
    if lines:
        return lines
    draft_id = str(draft_id)
    placed = request.session.get(PLACED_DRAFTS, {}).get(draft_id)
    if placed:
        messages.info(
            request,
            _("That order was placed already: order %(order)s. Start a new one if you need more.")
            % {"order": placed},
        )
    elif draft_id in request.session.get(SEEN_DRAFTS, {}):
        messages.info(
            request,
            _("That order is no longer open: it was set aside for newer orders. Start it again."),
        )
    else:
        messages.info(
            request,
            _(
                "That order review belongs to another session (another sign-in or browser): an "
                "order in progress stays in the session that began it. Start the order here."
            ),
        )
    return None


@never_cache
@agent_required
@may_order
@require_GET
def review_order(request, tenant_id, draft_id, chosen=False):
    flow = Flow.of(request, chosen)
    relationship = _ordering_relationship(request, tenant_id)
    lines = _draft_or_restart(request, relationship.customer, draft_id)
    if not lines:
        return redirect(flow.url("new", tenant_id))
    return _render_review(request, relationship, str(draft_id), lines, flow=flow)


@agent_required
@may_order
@require_POST
def place(request, tenant_id, draft_id, chosen=False):
    flow = Flow.of(request, chosen)
    relationship = _ordering_relationship(request, tenant_id)
    customer = relationship.customer
    lines = _draft_or_restart(request, customer, draft_id)
    if not lines:
        return redirect(flow.url("new", tenant_id))

    attestation = None
    attested_version = None
    attested_language = None
    form = None
    if request.POST.get("attest"):
        if not permissions.can_attest(request.user):
            raise PermissionDenied
        form = _attestation_form(customer, request.POST)
        if not form.is_valid():
            return _render_review(
                request, relationship, str(draft_id), lines, flow=flow, form=form, status=400
            )
        attestation = (form.contact(), form.cleaned_data["date_agreed"])
        attested_version = form.recorded
        attested_language = form.cleaned_data.get("agreement_language") or None

    try:
        order = place_order(
            customer=customer,
            partner=relationship.partner,
            placed_by=request.user,
            lines=lines,
            attestation=attestation,
            attested_version=attested_version,
            attested_language=attested_language,
            channel=OrderChannel.WEB,
            ip_address=client_ip(request),
            user_agent=user_agent(request),
        )
    except (OrderBlocked, ValidationError) as error:
        # The gate's refusal is a 403 with its reason; anything else is bad input.
        status = 403 if isinstance(error, OrderBlocked) else 400
        errors = [str(message) for message in error.messages]
        return _render_review(
            request,
            relationship,
            str(draft_id),
            lines,
            flow=flow,
            form=form,
            errors=errors,
            status=status,
        )
    DRAFTS.drop(request, draft_id)
    _remember(request, PLACED_DRAFTS, str(draft_id), order.short_id)
    messages.success(request, _placed_message(order, attested=attestation is not None))
    return redirect("orders:detail", order_id=order.order_id)


def _placed_message(order: Order, *, attested: bool) -> str:
    if attested:
        return _(
            "The customer's acceptance of the Microsoft Customer Agreement is recorded "
            "and order %(order)s is placed."
        ) % {"order": order.short_id}
    return _("Order %(order)s is placed.") % {"order": order.short_id}


RECENT_ORDERS = 5


def orders_panel(request: AgentRequest, relationship: Relationship) -> Fragment | None:
    """Account info's orders section: the gate's answer and the latest orders, bounded."""
    user = request.user
    customer = relationship.customer
    orders = list(
        visible_orders(user)
        .filter(customer=customer)
        .select_related("partner", "placed_by")[: RECENT_ORDERS + 1]
    )
    partner = user.partner
    if partner is None:  # not an agent: no orders section
        return None
    return Fragment(
        "orders/_panel.html",
        {
            "orders": with_totals(orders[:RECENT_ORDERS]),
            "more_orders": len(orders) > RECENT_ORDERS,
            "decision": order_gate(customer, relationship.partner),
            "can_order": permissions.can_order(user),
            "is_reseller": partner.is_reseller,
            "provider": partner.provider if partner.is_reseller else None,
        },
    )
