"""The order gate (R5, flow E) and the services that place orders.

The web order flow, the REST API and the renewal command all come through
here, so the rule "no new purchase before the agreement is accepted" has one
home: ``order_gate``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agreements.models import Acceptance, AcceptanceMethod, AgreementTemplate, Channel
from agreements.selectors import enforced_versions
from agreements.services import Contact, DuplicateAttestation, record_acceptance
from customers.locks import lock_customer, retry_on_conflict
from customers.models import AgreementStatus, Customer, Relationship, RelationshipStatus
from orders.models import GateRefusal, Offer, Order, OrderChannel, OrderLine, ProductType
from portal.models import Partner, User

MAX_QUANTITY = 10_000
RENEWAL_TERM = datetime.timedelta(days=365)
# One-time purchases and pay-as-you-go plans have no term to renew.
RENEWABLE_TYPES = frozenset(
    {ProductType.LICENSE, ProductType.SOFTWARE_SUBSCRIPTION, ProductType.RESERVED_INSTANCE}
)


class OrderBlocked(ValidationError):
    """R5: the gate refused a new order."""

    def __init__(self, decision: GateDecision):
        super().__init__(decision.reason, code="order_blocked")
        self.decision = decision
        # What to write once the caller's transaction has rolled back (the refusal's record).
        self.after_rollback: list[Callable[[], None]] = []


@dataclass(frozen=True)
class GateDecision:
    """Whether a new order may be placed, why, and who can change the answer."""

    allowed: bool
    reason: str
    unblock_hint: str = ""
    # True when recording an acceptance is what would open the gate (the inline prompt).
    needs_acceptance: bool = False


def order_gate(customer: Customer, partner: Partner, *, auto_renewal: bool = False) -> GateDecision:
    """R5: may ``partner`` place a new order for ``customer``? One query.

    Counts the partner's own records (attestation, or a direct acceptance through
    an invitation of this partner) and, for an indirect reseller, its provider's
    attestation. Another partner's records never count. Auto-renewals are exempt.
    """
    if auto_renewal:
        return GateDecision(
            allowed=True, reason=_("Auto-renewals don't need an acceptance on record.")
        )
    accepted = Acceptance.objects.filter(customer=customer).for_partner(partner)
    # Past the deadline of a version requiring re-acceptance, only records it doesn't outdate
    # count; the older ones stay valid evidence of what was accepted then, but open nothing.
    enforced = enforced_versions(customer.country.code)
    rank = Subquery(enforced.values("template__version_rank")[:1])
    cutoff = Subquery(enforced.values("template__reacceptance_cutoff")[:1])
    current = accepted.filter(
        template__version_rank__gte=Coalesce(rank, 0),
        date_agreed__gte=Coalesce(cutoff, datetime.date.min),
    )
    relationship = (
        Relationship.objects.filter(customer=customer, partner=partner)
        .annotate(
            accepted=Exists(current),
            outdated=Exists(accepted),
            enforced_rank=rank,
            enforced_deadline=Subquery(enforced.values("template__reacceptance_deadline")[:1]),
        )
        .values(
            "status",
            "agreement_status",
            "accepted",
            "outdated",
            "enforced_rank",
            "enforced_deadline",
        )
        .first()
    )
    names = {"customer": customer.company_name, "partner": partner.name}
    if relationship is None:
        return GateDecision(
            allowed=False,
            reason=_("%(customer)s is not a customer of %(partner)s.") % names,
        )
    if relationship["status"] != RelationshipStatus.ACTIVE:
        return GateDecision(
            allowed=False,
            reason=_(
                "The reseller relationship between %(partner)s and %(customer)s is still "
                "pending: the customer hasn't accepted it yet."
            )
            % names,
            unblock_hint=_("The customer accepts the reseller relationship in the admin center."),
        )
    if relationship["accepted"]:
        return GateDecision(
            allowed=True,
            reason=_("%(customer)s's acceptance of the Microsoft Customer Agreement is on record.")
            % names,
        )
    if relationship["enforced_rank"] is not None and relationship["outdated"]:
        reason = _(
            "%(customer)s must accept a newer version of the Microsoft Customer Agreement: "
            "version %(version)s requires re-acceptance, and its deadline, %(deadline)s, has "
            "passed. The acceptance on record with %(partner)s is of an earlier version or "
            "dated before its cut-off, so new orders wait until the new version is accepted."
        ) % {
            **names,
            "version": relationship["enforced_rank"],
            "deadline": date_format(relationship["enforced_deadline"], "DATE_FORMAT"),
        }
    elif relationship["agreement_status"] == AgreementStatus.BLOCKED:
        reason = (
            _(
                "%(customer)s can't accept the Microsoft Customer Agreement directly, and no "
                "acceptance is on record with %(partner)s. New orders wait until the partner attests."
            )
            % names
        )
    else:
        reason = (
            _(
                "%(customer)s hasn't accepted the Microsoft Customer Agreement: no acceptance is on "
                "record with %(partner)s. New orders wait until it is."
            )
            % names
        )
    if partner.provider is not None:
        hint = _(
            "Only the indirect provider, %(provider)s, can attest on the customer's behalf."
        ) % {"provider": partner.provider.name}
    else:
        hint = (
            _("An admin or sales agent of %(partner)s can attest that the customer accepted it.")
            % names
        )
    return GateDecision(allowed=False, reason=reason, unblock_hint=hint, needs_acceptance=True)


def validate_lines(customer: Customer, lines: Sequence[tuple[Offer, int]]) -> None:
    """Every line names an orderable offer once, with a quantity in range."""
    if not lines:
        raise ValidationError(_("Choose at least one offer."), code="no_lines")
    errors = []
    seen: set[int] = set()
    repeated: set[int] = set()
    for offer, quantity in lines:
        if offer.pk in seen:
            # Said once per offer, however many copies; the first copy's checks stand for all.
            if offer.pk not in repeated:
                repeated.add(offer.pk)
                errors.append(
                    ValidationError(
                        _("%(offer)s appears more than once; give it one quantity.")
                        % {"offer": offer.display_name},
                        code="duplicate_offer",
                    )
                )
            continue
        seen.add(offer.pk)
        if not isinstance(quantity, int) or not 1 <= quantity <= MAX_QUANTITY:
            errors.append(
                ValidationError(
                    _("The quantity of %(offer)s must be between 1 and %(max)s.")
                    % {"offer": offer.display_name, "max": MAX_QUANTITY},
                    code="quantity",
                )
            )
        if not offer.can_be_ordered_in(customer.country.code):
            errors.append(
                ValidationError(
                    _("%(offer)s is not available in %(country)s.")
                    % {"offer": offer.display_name, "country": customer.country.name},
                    code="unavailable",
                )
            )
    if errors:
        raise ValidationError(errors)


def _renewable(offers: Sequence[Offer]) -> bool:
    return any(offer.product_type in RENEWABLE_TYPES for offer in offers)


def place_order(
    *,
    customer: Customer,
    partner: Partner,
    placed_by: User,
    lines: Sequence[tuple[Offer, int]],
    attestation: tuple[Contact, datetime.date] | None = None,
    attested_version: AgreementTemplate | None = None,
    attested_language: str | None = None,
    channel: str = OrderChannel.WEB,
    ip_address: str | None = None,
    user_agent: str = "",
) -> Order:
    """Place a new order behind the gate; record the prompted attestation first if given.

    ``partner`` is the partner of the relationship (the reseller for a reseller's
    customer, even when its provider's agent places the order). All or nothing:
    if the attestation, the gate or the order fails, nothing is saved.
    Raises OrderBlocked when the gate says no, and ValidationError for bad input
    (lines, a future date, AttestationNotAllowed for a reseller, NoAgreementDocument).
    A refusal is recorded (GateRefusal) once the order's transaction has rolled back; a
    caller whose own transaction rolls back too (the API's idempotency record) runs the
    error's ``after_rollback`` after its rollback, which records it again.
    """
    try:
        return _place_order(
            customer=customer,
            partner=partner,
            placed_by=placed_by,
            lines=lines,
            attestation=attestation,
            attested_version=attested_version,
            attested_language=attested_language,
            channel=channel,
            ip_address=ip_address,
            user_agent=user_agent,
        )
    except OrderBlocked as blocked:

        def record() -> int:
            # In a transaction of its own: what reacts to the refusal (alerts) commits with it.
            with transaction.atomic():
                return GateRefusal.objects.create(
                    partner=partner, customer=customer, agent=placed_by, channel=channel
                ).pk

        recorded = record()

        def record_again() -> None:
            # A caller's transaction that rolled back took the refusal with it (the API's
            # idempotency record holds one around the call): record it again after the rollback.
            if not GateRefusal.objects.filter(pk=recorded).exists():
                record()

        blocked.after_rollback.append(record_again)
        raise


@retry_on_conflict
def _place_order(
    *,
    customer: Customer,
    partner: Partner,
    placed_by: User,
    lines: Sequence[tuple[Offer, int]],
    attestation: tuple[Contact, datetime.date] | None,
    attested_version: AgreementTemplate | None,
    attested_language: str | None,
    channel: str,
    ip_address: str | None,
    user_agent: str,
) -> Order:
    with transaction.atomic():
        # customers.locks' order: the customer first. Every order and prompted attestation
        # for this customer queues there, so the gate check and the insert are one step.
        lock_customer(customer)
        locked = (
            Relationship.objects.select_for_update()
            .filter(customer=customer, partner=partner)
            .values_list("pk", flat=True)
            .first()
        )
        validate_lines(customer, lines)
        # The agent's own partner attests: a provider for its reseller's customer.
        attesting = placed_by.partner
        if attestation is not None and locked is not None and attesting is not None:
            contact, date_agreed = attestation
            try:
                record_acceptance(
                    customer=customer,
                    partner=attesting,
                    recorded_by=placed_by,
                    method=AcceptanceMethod.PARTNER_ATTESTATION,
                    channel=Channel.ORDER_PROMPT if channel == OrderChannel.WEB else Channel.API,
                    contact=contact,
                    date_agreed=date_agreed,
                    template=attested_version,
                    language=attested_language,
                    ip_address=ip_address,
                    user_agent=user_agent,
                )
            except DuplicateAttestation:
                # The very same evidence is already on record (a colleague got there
                # first): the order can go ahead on it.
                pass
        decision = order_gate(customer, partner)
        if not decision.allowed:
            raise OrderBlocked(decision)
        return _create_order(
            customer=customer,
            partner=partner,
            placed_by=placed_by,
            lines=lines,
            channel=channel,
            placed_at=timezone.now(),
        )


def _create_order(
    *,
    customer: Customer,
    partner: Partner,
    placed_by: User | None,
    lines: Sequence[tuple[Offer, int]],
    channel: str,
    placed_at: datetime.datetime,
    renews: Order | None = None,
) -> Order:
    renewable = renews is None and _renewable([offer for offer, _ in lines])
    order = Order.objects.create(
        customer=customer,
        partner=partner,
        placed_by=placed_by,
        placed_at=placed_at,
        channel=channel,
        is_auto_renewal=renews is not None,
        renews=renews,
        auto_renew=renewable,
        renewal_due=(timezone.localdate(placed_at) + RENEWAL_TERM) if renewable else None,
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            offer=offer,
            quantity=quantity,
            unit_price=offer.unit_price,
            currency=offer.currency,
        )
        for offer, quantity in lines
    )
    return order


def import_earlier_order(
    *,
    customer: Customer,
    partner: Partner,
    placed_by: User | None,
    lines: Sequence[tuple[Offer, int]],
    placed_at: datetime.datetime,
) -> Order:
    """A purchase made through ``partner`` before the portal kept its customers' acceptance
    (an import of the partner's earlier records). It happened already, so no gate applies;
    it is what makes R6's scenarios D1/D2 real for a customer new to the portal."""
    with transaction.atomic():
        validate_lines(customer, lines)
        return _create_order(
            customer=customer,
            partner=partner,
            placed_by=placed_by,
            lines=lines,
            channel=OrderChannel.WEB,
            placed_at=placed_at,
        )


def renew_due_order(order_pk: int, today: datetime.date) -> list[Order]:
    """Place every renewal due on or before ``today`` for one order; safe to repeat.

    Auto-renewals never pass through the gate (R5): the customer already bought.
    """
    renewals: list[Order] = []
    with transaction.atomic():
        # The lock makes concurrent runs wait; the re-read date then says "done".
        order = (
            Order.objects.select_for_update()
            .select_related("customer", "partner")
            .filter(pk=order_pk, auto_renew=True, renewal_due__lte=today)
            .first()
        )
        if order is None or order.renewal_due is None:
            return renewals
        due = order.renewal_due
        lines = [
            (line.offer, line.quantity)
            for line in order.lines.select_related("offer")
            if line.offer.product_type in RENEWABLE_TYPES
        ]
        while due <= today:
            if lines:
                renewals.append(
                    _create_order(
                        customer=order.customer,
                        partner=order.partner,
                        placed_by=None,
                        lines=lines,
                        channel=OrderChannel.RENEWAL,
                        placed_at=timezone.now(),
                        renews=order,
                    )
                )
            due += RENEWAL_TERM
        Order.objects.filter(pk=order.pk).update(renewal_due=due)
    return renewals
