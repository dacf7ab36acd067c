"""Issuing, sending and accepting invitations (flows B1–B3, C, D; rules R6–R8).

The raw token leaves this module only inside a link; the database keeps its hash.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import AcceptanceMethod, AgreementDocument, AgreementTemplate, Channel
from agreements.selectors import NoAgreementDocument, document_for
from agreements.services import Contact, record_acceptance
from customers.locks import lock_customer, retry_on_conflict
from customers.models import (
    AgreementStatus,
    Customer,
    Relationship,
    RelationshipOrigin,
    RelationshipStatus,
)
from customers.services import create_customer
from customers.status import Facts, refresh_agreement_status
from invitations.email import (
    body_has_link,
    invitation_link,
    recipient,
    token_from_link,
    without_secrets,
)
from invitations.models import (
    MAX_COPIES,
    OPEN_STATUSES,
    Invitation,
    InvitationKind,
    InvitationStatus,
    still_called_for,
)
from invitations.signals import invitation_blocked, invitation_declined
from orders.models import Order
from portal import outbox
from portal.hashing import hash_token, new_token
from portal.models import OutboxMessage, Partner, User

# A token from new_token() is 43 characters; anything much longer is not ours.
MAX_TOKEN_LENGTH = 100


class InvitationUnavailable(ValidationError):
    """The invitation can no longer be used: revoked, expired, used or another customer's."""

    code: str  # always raised with one: the reason the admin center explains


class DocumentSuperseded(ValidationError):
    """The agreement document the customer was shown is no longer the one in force (a newer
    version was published while the page was open): nothing is recorded, the customer reads
    the new one first."""


class OpenInvitationExists(ValidationError):
    """Another open invitation from this partner to this customer got in first."""


class RelationshipAlreadyActive(ValidationError):
    """The customer already works with this partner; there is no relationship to ask for."""


class KnownBlocked(ValidationError):
    """R6 is known to bite: the customer has bought before, so the link would be blocked (or,
    D2, good for the reseller relationship alone). Raised until the agent confirms."""


def find_by_token(token: str) -> Invitation | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return (
        Invitation.objects.select_related("partner", "partner__provider", "customer")
        .filter(token_hash=hash_token(token))
        .first()
    )


def _expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=settings.INVITATION_EXPIRY_DAYS)


def link_if_current(invitation: Invitation, candidate: str) -> str | None:
    """The candidate when it is exactly this live invitation's link, else None.

    The link comes back from the agent's own page (we keep only the hash), so a composer
    that failed to send can show it again without storing it anywhere.
    """
    token = token_from_link(candidate or "")
    if token is None or hash_token(token) != invitation.token_hash:
        return None
    if candidate != invitation_link(token):
        return None
    if invitation.status not in OPEN_STATUSES or invitation.is_expired:
        return None
    return candidate


def _require_document(customer: Customer) -> None:
    """An invitation asks the customer to accept the agreement for its country, so one must
    be published (the rule itself lives in document_for)."""
    try:
        document_for(customer)
    except NoAgreementDocument as error:
        raise NoAgreementDocument(
            _(
                "No Microsoft Customer Agreement is published for %(country)s yet, so "
                "%(customer)s can't accept it in the admin center. Ask an operator to publish "
                "it, then invite the customer."
            )
            % {"country": customer.country.name, "customer": customer.company_name},
            code="no_document",
        ) from error


@transaction.atomic
def create_invitation(
    *, partner: Partner, customer: Customer, kind: str, created_by: User
) -> tuple[Invitation, str]:
    """Create an invitation and return it with its link; the token itself is never stored.

    Raises NoAgreementDocument when no agreement is published for the customer's country
    (there would be nothing to accept), and OpenInvitationExists when this partner already
    has an open one for the customer: the database allows one, and a colleague's click may
    have landed a moment earlier.
    """
    _require_document(customer)
    token = new_token()
    try:
        # A savepoint, so the caller's transaction survives the refused insert.
        with transaction.atomic():
            invitation = Invitation.objects.create(
                partner=partner,
                customer=customer,
                kind=kind,
                token_hash=hash_token(token),
                created_by=created_by,
                expires_at=_expiry(),
            )
    except IntegrityError as error:
        raise OpenInvitationExists(
            _(
                "%(customer)s already has an open invitation from your organisation; a "
                "colleague may have sent it a moment ago. Resend or revoke it in the "
                "invitations list."
            )
            % {"customer": customer.company_name},
            code="open_invitation_exists",
        ) from error
    refresh_agreement_status(customer)
    return invitation, invitation_link(token)


def _revoke_open(partner: Partner, customer: Customer) -> list[Invitation]:
    """Revoke (and return, newest first) every open invitation of this partner and customer,
    so the one about to be inserted is the only open one (the database insists)."""
    open_ones = list(
        Invitation.objects.select_for_update().filter(
            partner=partner, customer=customer, status__in=OPEN_STATUSES
        )
    )
    Invitation.objects.filter(pk__in=[old.pk for old in open_ones]).update(
        status=InvitationStatus.REVOKED, revoked_at=timezone.now()
    )
    return open_ones


@retry_on_conflict
def issue_invitation(
    *,
    partner: Partner,
    customer: Customer,
    kind: str,
    created_by: User,
    blocked_ok: bool = False,
) -> tuple[Invitation, str]:
    """A new invitation that replaces every open one this partner sent this customer.

    One live link per partner and customer: an older link in someone's inbox
    must not keep working once a newer one is out (R8). Raises KnownBlocked for a customer
    R6 blocks unless ``blocked_ok`` says the agent saw the warning and sends anyway.
    """
    lock_customer(customer)
    _refuse_what_cannot_work(partner=partner, customer=customer, kind=kind)
    if not blocked_ok:
        _warn_if_blocked(partner=partner, customer=customer, kind=kind)
    open_ones = _revoke_open(partner, customer)
    invitation, link = create_invitation(
        partner=partner, customer=customer, kind=kind, created_by=created_by
    )
    if open_ones:
        # Newest first (the model's ordering): that one is the one the new invitation replaces.
        Invitation.objects.filter(pk=open_ones[0].pk).update(replaced_by=invitation)
    return invitation, link


def _new_link_would_be_blocked_message(customer: Customer) -> str:
    """For the partner (R6); the customer's side of it is ``blocked_message``."""
    return _(
        "%(customer)s has bought before, so it can't accept the agreement in the admin "
        "center and a new link would be blocked too. The acceptance must be attested "
        "on the customer's behalf instead."
    ) % {"customer": customer.company_name}


def _refuse_what_cannot_work(*, partner: Partner, customer: Customer, kind: str) -> None:
    """What a new or resent invitation could never achieve, refused before it is sent:
    a relationship the customer already has, or an agreement the customer was already
    found unable to accept (R6: once blocked, a new link would be blocked too)."""
    relationship = (
        Relationship.objects.filter(partner=partner, customer=customer)
        .values("status", "agreement_status")
        .first()
    )
    asks_for_relationship = kind == InvitationKind.RESELLER_RELATIONSHIP
    if (
        asks_for_relationship
        and relationship
        and relationship["status"] == RelationshipStatus.ACTIVE
    ):
        raise RelationshipAlreadyActive(
            _(
                "%(customer)s is already your customer: the reseller relationship is active. "
                "To ask it to accept the Microsoft Customer Agreement, use Invite to accept "
                "the agreement on its account info page."
            )
            % {"customer": customer.company_name},
            code="already_customer",
        )
    if relationship and relationship["agreement_status"] == AgreementStatus.BLOCKED:
        block = request_block(
            partner_id=partner.pk,
            customer_id=customer.pk,
            asks_for_relationship=asks_for_relationship,
        )
        if block.blocked and not block.relationship_allowed:
            raise InvitationUnavailable(
                _new_link_would_be_blocked_message(customer), code="blocked"
            )


def _warn_if_blocked(*, partner: Partner, customer: Customer, kind: str) -> None:
    """R6 known in advance: the customer's earlier purchases would block the link as soon as
    it is opened (D1), or leave it good for the reseller relationship alone (D2)."""
    block = request_block(
        partner_id=partner.pk,
        customer_id=customer.pk,
        asks_for_relationship=kind == InvitationKind.RESELLER_RELATIONSHIP,
    )
    if not block.blocked:
        return
    if block.relationship_allowed:
        message = _(
            "%(customer)s has bought Microsoft cloud products through another partner, so it "
            "can accept your reseller relationship in the admin center but not the Microsoft "
            "Customer Agreement: you will have to attest its acceptance on its behalf."
        )
    else:
        message = _(
            "%(customer)s has bought before, so it can't accept the Microsoft Customer "
            "Agreement in the admin center: the link will be blocked as soon as it is opened. "
            "Attest its acceptance on its behalf instead."
        )
    raise KnownBlocked(
        message % {"customer": customer.company_name},
        code="relationship_only" if block.relationship_allowed else "known_blocked",
    )


def _standing(partner_id: int, customer_id: int) -> tuple[str | None, str | None]:
    """The customer's relationship status and agreement status with this partner now."""
    row = (
        Relationship.objects.filter(partner_id=partner_id, customer_id=customer_id)
        .values_list("status", "agreement_status")
        .first()
    )
    return row if row is not None else (None, None)


@retry_on_conflict
def resend_invitation(
    *, invitation: Invitation, created_by: User, blocked_ok: bool = False
) -> tuple[Invitation, str]:
    """Resend: a new token in a new invitation; the old one is revoked and points to it."""
    lock_customer(invitation.customer_id)
    old = Invitation.objects.select_for_update().get(pk=invitation.pk)
    # The reasons Invitation.can_resend sums up, each with its own message.
    if old.is_used:
        raise InvitationUnavailable(
            _("This invitation has already been accepted; there is nothing to resend."),
            code="used",
        )
    if old.replaced_by_id is not None:
        raise InvitationUnavailable(
            _("A newer invitation already replaces this one; resend that one instead."),
            code="replaced",
        )
    if old.status == InvitationStatus.BLOCKED or old.blocked_at is not None:
        # R6: the customer has bought before, so a new link would be blocked as soon as opened.
        raise InvitationUnavailable(
            _new_link_would_be_blocked_message(old.customer), code="blocked"
        )
    _refuse_what_cannot_work(partner=old.partner, customer=old.customer, kind=old.kind)
    if not still_called_for(old.kind, *_standing(old.partner_id, old.customer_id)):
        # Expired or revoked, and meanwhile the customer accepted or was attested.
        raise InvitationUnavailable(
            _(
                "%(customer)s no longer needs this invitation: what it asked for is on record "
                "now. There is nothing to resend."
            )
            % {"customer": old.customer.company_name},
            code="not_needed",
        )
    if not blocked_ok:
        _warn_if_blocked(partner=old.partner, customer=old.customer, kind=old.kind)
    _revoke_open(old.partner, old.customer)
    new, link = create_invitation(
        partner=old.partner, customer=old.customer, kind=old.kind, created_by=created_by
    )
    # A blocked invitation keeps its status as the record of the block; it is still replaced.
    Invitation.objects.filter(pk=old.pk).update(replaced_by=new)
    if old.email_to and not _is_partners_customer(old.partner_id, old.customer_id):
        # A tenant asked before it is the partner's customer: the new link goes where the old
        # one went (the portal never reveals that tenant's contact to the partner).
        Invitation.objects.filter(pk=new.pk).update(email_to=old.email_to)
        new.email_to = old.email_to
    return new, link


def _is_partners_customer(partner_id: int, customer_id: int) -> bool:
    return Relationship.objects.filter(partner_id=partner_id, customer_id=customer_id).exists()


@retry_on_conflict
def request_relationship_from_tenant(
    *,
    partner: Partner,
    customer: Customer,
    recipient_email: str,
    created_by: User,
    blocked_ok: bool = False,
) -> tuple[Invitation, str]:
    """B2 for a tenant that works with other partners only: relationship + agreement in one
    invitation, to the address the agent names. No relationship exists until the customer
    accepts; until then the partner sees only the invitation (R4). KnownBlocked as for
    issue_invitation (D2: the tenant bought through its other partners)."""
    invitation, link = issue_invitation(
        partner=partner,
        customer=customer,
        kind=InvitationKind.RESELLER_RELATIONSHIP,
        created_by=created_by,
        blocked_ok=blocked_ok,
    )
    Invitation.objects.filter(pk=invitation.pk).update(email_to=recipient_email)
    invitation.email_to = recipient_email
    return invitation, link


@retry_on_conflict
def revoke_invitation(*, invitation: Invitation) -> None:
    lock_customer(invitation.customer_id)
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.can_revoke:
        raise InvitationUnavailable(
            _("Only a pending or opened invitation can be revoked."), code="not_open"
        )
    Invitation.objects.filter(pk=locked.pk).update(
        status=InvitationStatus.REVOKED, revoked_at=timezone.now()
    )
    refresh_agreement_status(invitation.customer)


@dataclass(frozen=True)
class NewCustomer:
    customer: Customer
    admin: User
    # Shown once (R7): never stored in clear.
    password: str
    invitation: Invitation | None = None
    invitation_link: str | None = None


@transaction.atomic
def onboard_customer(
    *,
    partner: Partner,
    created_by: User,
    customer: Customer,
    attestation: tuple[Contact, datetime.date] | None = None,
    attested_version: AgreementTemplate | None = None,
    attested_language: str | None = None,
    invitation_kind: str | None = None,
    channel: str = Channel.WEB,
    ip_address: str | None = None,
    user_agent: str = "",
) -> NewCustomer:
    """A new tenant and how it gets the agreement on record, all or nothing: the one
    "create and invite" orchestrator.

    A1: ``attestation`` records the partner's attestation. B1: ``invitation_kind`` NEW_CUSTOMER
    invites the customer to accept in the admin center. B2 for a customer new to the portal:
    RESELLER_RELATIONSHIP leaves the relationship pending until the customer accepts it.
    """
    asks_for_relationship = invitation_kind == InvitationKind.RESELLER_RELATIONSHIP
    customer, admin, password = create_customer(
        partner=partner,
        created_by=created_by,
        customer=customer,
        relationship_status=(
            RelationshipStatus.PENDING if asks_for_relationship else RelationshipStatus.ACTIVE
        ),
    )
    if attestation is not None:
        contact, date_agreed = attestation
        record_acceptance(
            customer=customer,
            partner=partner,
            recorded_by=created_by,
            method=AcceptanceMethod.PARTNER_ATTESTATION,
            channel=channel,
            contact=contact,
            date_agreed=date_agreed,
            template=attested_version,
            language=attested_language,
            ip_address=ip_address,
            user_agent=user_agent,
        )
    if invitation_kind is None:
        return NewCustomer(customer, admin, password)
    invitation, link = create_invitation(
        partner=partner, customer=customer, kind=invitation_kind, created_by=created_by
    )
    return NewCustomer(customer, admin, password, invitation, link)


def invitation_facts(
    customer: Customer, relationships: list[Relationship], facts: dict[int, Facts]
) -> None:
    """customers.status's fact source: each partner's blocked (R6) and open invitations.

    A blocked invitation of the partner's, not only its latest one, keeps the customer
    "partner must attest"; the latest open one says until when it is invited.
    """
    latest: dict[int, tuple[str, datetime.datetime]] = {}
    blocked: set[int] = set()
    for partner_id, status, expires_at, blocked_at in (
        Invitation.objects.filter(customer=customer)
        .exclude(status=InvitationStatus.REVOKED)
        .order_by("created_at", "id")
        .values_list("partner_id", "status", "expires_at", "blocked_at")
    ):
        latest[partner_id] = (status, expires_at)
        # A blocked invitation the customer then declined still records the block.
        if status == InvitationStatus.BLOCKED or blocked_at is not None:
            blocked.add(partner_id)
    for relationship in relationships:
        fact = facts[relationship.pk]
        fact.blocked = relationship.partner_id in blocked
        invitation = latest.get(relationship.partner_id)
        if invitation and invitation[0] in OPEN_STATUSES:
            fact.invited_until = invitation[1]


# --- R6: when the customer cannot accept directly (scenarios D1 and D2) ----------------


@dataclass(frozen=True)
class AcceptanceBlock:
    blocked: bool
    # D2: the orders went through other partners, so the new relationship may still be accepted.
    relationship_allowed: bool = False


def acceptance_block(invitation: Invitation) -> AcceptanceBlock:
    """R6 for an invitation: see ``request_block``."""
    return request_block(
        partner_id=invitation.partner_id,
        customer_id=invitation.customer_id,
        asks_for_relationship=invitation.asks_for_relationship,
    )


def request_block(
    *, partner_id: int, customer_id: int, asks_for_relationship: bool
) -> AcceptanceBlock:
    """R6, its one home: earlier purchases (auto-renewals aside) stop a direct acceptance.

    D1: the customer bought through the asking partner. D2: it bought only through other
    partners and it is asked for a reseller relationship, which it may still accept; the
    agreement must be attested by the partner. Serves invitations and the partner's
    standing relationship link alike.
    """
    partner_ids = set(
        Order.objects.filter(customer_id=customer_id, is_auto_renewal=False)
        .values_list("partner_id", flat=True)
        .distinct()
    )
    if not partner_ids:
        return AcceptanceBlock(blocked=False)
    only_others = partner_id not in partner_ids
    return AcceptanceBlock(blocked=True, relationship_allowed=only_others and asks_for_relationship)


# --- the customer's side -----------------------------------------------------------------


def unavailable_reason(invitation: Invitation, user: User | None) -> str | None:
    """Why this invitation can't be acted on by this user, as a code; None when it can."""
    if user is not None and user.is_authenticated and user.customer_id != invitation.customer_id:
        return "other_customer"
    if invitation.is_used:
        return "used"
    # A resent invitation's old token is dead whatever its status, a blocked one's too.
    if invitation.replaced_by_id is not None:
        return "replaced"
    if invitation.status == InvitationStatus.REVOKED:
        return "revoked"
    if invitation.status == InvitationStatus.DECLINED:
        return "declined"
    if invitation.status in OPEN_STATUSES and invitation.is_expired:
        return "expired"
    if invitation.status == InvitationStatus.BLOCKED and invitation.expires_at <= timezone.now():
        return "expired"
    return None


def _mark_blocked(invitation: Invitation, now: datetime.datetime) -> bool:
    updated = Invitation.objects.filter(pk=invitation.pk, status__in=OPEN_STATUSES).update(
        status=InvitationStatus.BLOCKED, blocked_at=now
    )
    if updated:
        invitation.status = InvitationStatus.BLOCKED
        invitation.blocked_at = now
        invitation_blocked.send(sender=Invitation, invitation=invitation)
    return bool(updated)


@retry_on_conflict
def open_invitation(invitation: Invitation) -> AcceptanceBlock:
    """The signed-in customer admin looked at it: note that, and the block if there is one.

    Never accepts or consumes anything: a link a mail scanner follows stays usable.
    """
    lock_customer(invitation.customer_id)
    now = timezone.now()
    changed = bool(
        Invitation.objects.filter(pk=invitation.pk, status=InvitationStatus.PENDING).update(
            status=InvitationStatus.OPENED, opened_at=now
        )
    )
    if changed:
        invitation.status = InvitationStatus.OPENED
        invitation.opened_at = now
    block = acceptance_block(invitation)
    if block.blocked:
        changed = _mark_blocked(invitation, now) or changed
    if changed:
        refresh_agreement_status(invitation.customer)
    return block


def _activate_relationship(
    partner: Partner, customer: Customer, now: datetime.datetime
) -> tuple[Relationship, bool]:
    """The relationship, active; and whether this call is what made it active."""
    relationship, created = Relationship.objects.select_for_update().get_or_create(
        partner=partner,
        customer=customer,
        defaults={
            "status": RelationshipStatus.ACTIVE,
            "origin": RelationshipOrigin.ACCEPTED_INVITATION,
            "activated_at": now,
        },
    )
    if created:
        return relationship, True
    if relationship.status == RelationshipStatus.ACTIVE:
        return relationship, False
    relationship.status = RelationshipStatus.ACTIVE
    relationship.origin = RelationshipOrigin.ACCEPTED_INVITATION
    relationship.activated_at = now
    relationship.save(update_fields=["status", "origin", "activated_at"])
    return relationship, True


@retry_on_conflict
def accept_relationship_request(*, partner: Partner, customer: Customer) -> Relationship:
    """The partner's standing link (B2 without an invitation): the customer admin accepts the
    reseller relationship alone. The agreement is not accepted here: that needs the agreement
    page of an invitation, or the partner's attestation."""
    lock_customer(customer)
    relationship, activated = _activate_relationship(partner, customer, timezone.now())
    if not activated:
        raise RelationshipAlreadyActive(
            _("%(partner)s is already your reseller.") % {"partner": partner.name},
            code="already_active",
        )
    refresh_agreement_status(customer)
    relationship.refresh_from_db()
    return relationship


def _contact(user: User, customer: Customer) -> Contact:
    return Contact(
        first_name=user.first_name or customer.contact_first_name,
        last_name=user.last_name or customer.contact_last_name,
        email=user.email,
    )


@retry_on_conflict
def accept_invitation(
    *,
    invitation_id: int,
    user: User,
    accept_agreement: bool,
    accept_relationship: bool,
    ip_address: str | None,
    user_agent: str,
    language: str | None = None,
    document: AgreementDocument | None = None,
) -> Invitation:
    """C: the customer admin accepts, all in one transaction on the locked invitation row.
    ``document`` is the one the page showed, recorded exactly, and only while it is still the
    one in force for the customer in its language (DocumentSuperseded otherwise); without it,
    the one in force in ``language`` (the customer's by default).

    Two concurrent accepts queue on the lock; the second finds the invitation used. The
    customer is locked first (customers.locks' order), as every writer of its evidence does.
    """
    lock_customer(Invitation.objects.values_list("customer_id", flat=True).get(pk=invitation_id))
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("partner", "customer")
        .get(pk=invitation_id)
    )
    reason = unavailable_reason(invitation, user)
    if reason is not None:
        raise InvitationUnavailable(unavailable_message(reason), code=reason)
    now = timezone.now()
    block = acceptance_block(invitation)
    if block.blocked:
        _mark_blocked(invitation, now)
        if not block.relationship_allowed:
            refresh_agreement_status(invitation.customer)
            raise InvitationUnavailable(blocked_message(), code="blocked")
        if not accept_relationship:
            raise ValidationError(
                _("Tick the box to accept the reseller relationship."), code="required"
            )
        _activate_relationship(invitation.partner, invitation.customer, now)
        Invitation.objects.filter(pk=invitation.pk).update(accepted_at=now, accepted_by=user)
    else:
        if not accept_agreement or (invitation.asks_for_relationship and not accept_relationship):
            raise ValidationError(_("Tick the box to accept."), code="required")
        if document is not None and not _in_force(document, invitation.customer):
            raise DocumentSuperseded(
                _(
                    "A newer version of the agreement was published while the page was open. "
                    "Nothing was recorded: read the new version below and accept it again."
                ),
                code="superseded",
            )
        record_acceptance(
            customer=invitation.customer,
            partner=invitation.partner,
            recorded_by=user,
            method=AcceptanceMethod.DIRECT_ACCEPTANCE,
            channel=Channel.INVITATION,
            contact=_contact(user, invitation.customer),
            date_agreed=timezone.localdate(),
            ip_address=ip_address,
            user_agent=user_agent,
            language=language,
            document=document,
        )
        if invitation.asks_for_relationship:
            _activate_relationship(invitation.partner, invitation.customer, now)
        Invitation.objects.filter(pk=invitation.pk).update(
            status=InvitationStatus.ACCEPTED, accepted_at=now, accepted_by=user
        )
    refresh_agreement_status(invitation.customer)
    invitation.refresh_from_db()
    return invitation


def _in_force(document: AgreementDocument, customer: Customer) -> bool:
    """Whether ``document`` is the one a customer is shown now in its language: of the latest
    published version for the customer's country."""
    if document.country != customer.country:
        return False
    try:
        return document_for(customer, language=document.language).pk == document.pk
    except NoAgreementDocument:
        return False


# The longest reason a customer may give for declining.
MAX_DECLINE_REASON = 1000


@retry_on_conflict
def decline_invitation(*, invitation_id: int, user: User, reason: str = "") -> Invitation:
    """The customer admin says no (an open invitation, or D2's blocked one whose relationship
    part is still open): the link stops working, the reason is kept for the partner, and the
    customer's status with the partner no longer says invited."""
    lock_customer(Invitation.objects.values_list("customer_id", flat=True).get(pk=invitation_id))
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("partner", "customer")
        .get(pk=invitation_id)
    )
    problem = unavailable_reason(invitation, user)
    if problem is not None:
        raise InvitationUnavailable(unavailable_message(problem), code=problem)
    reason = reason.strip()
    if len(reason) > MAX_DECLINE_REASON:
        raise ValidationError(
            _("Keep the reason to %(count)s characters.") % {"count": MAX_DECLINE_REASON},
            code="too_long",
        )
    now = timezone.now()
    Invitation.objects.filter(pk=invitation.pk).update(
        status=InvitationStatus.DECLINED,
        declined_at=now,
        declined_by=user,
        decline_reason=reason,
    )
    invitation.refresh_from_db()
    refresh_agreement_status(invitation.customer)
    invitation_declined.send(sender=Invitation, invitation=invitation)
    return invitation


def blocked_message() -> str:
    return _("Contact your partner to attest acceptance of the Microsoft Customer Agreement")


def unavailable_message(reason: str) -> str:
    return {
        "other_customer": _(
            "This invitation was sent to another organisation. Sign in with the account of "
            "the organisation it was sent to."
        ),
        "revoked": _("Your partner has withdrawn this invitation."),
        "replaced": _(
            "Your partner has sent a newer invitation that replaces this one. "
            "Use the link in the latest email."
        ),
        "used": _("This invitation has already been accepted."),
        "declined": _(
            "You declined this invitation. If you change your mind, ask your partner to send "
            "a new one."
        ),
        "expired": _("This invitation has expired. Ask your partner to send a new one."),
        "blocked": blocked_message(),
        "not_found": _(
            "This invitation link is not valid. Check that you copied the whole link, "
            "or ask your partner to send a new one."
        ),
    }[reason]


# --- sending the email (composed in invitations.email) -----------------------------------


# The same message to the same address within this time is a replay, not a new send.
RESEND_SAME_MESSAGE_AFTER = datetime.timedelta(minutes=2)


@transaction.atomic
def send_invitation(
    *,
    invitation: Invitation,
    subject: str,
    body: str,
    to: str | None = None,
    cc: list[str] | tuple[str, ...] = (),
) -> Invitation:
    """Send the message as edited to ``to`` (by default the customer's contact), with copies
    to ``cc``, and keep what was sent. The addresses come validated from ComposeForm; the
    count of copies is held here too."""
    invitation = (
        Invitation.objects.select_for_update().select_related("customer").get(pk=invitation.pk)
    )
    if invitation.status not in OPEN_STATUSES or invitation.is_expired:
        raise InvitationUnavailable(
            _("This invitation is no longer open. Resend it to get a new link."), code="not_open"
        )
    if not body_has_link(invitation, body):
        raise ValidationError(
            _("The message must contain the invitation link. Put the link back and send again."),
            code="no_link",
        )
    to = to or recipient(invitation)
    copies = list(dict.fromkeys(address for address in cc if address.lower() != to.lower()))
    if len(copies) > MAX_COPIES:
        raise ValidationError(
            _("Send copies to at most %(count)s addresses.") % {"count": MAX_COPIES},
            code="too_many_copies",
        )
    kept_body = without_secrets(invitation, body)
    now = timezone.now()
    if (
        invitation.sent_at is not None
        and now - invitation.sent_at < RESEND_SAME_MESSAGE_AFTER
        and (
            invitation.email_to,
            invitation.email_cc,
            invitation.email_subject,
            invitation.email_body,
        )
        == (to, copies, subject, kept_body)
    ):
        # A double click or a resubmitted page: the customer already has this very message.
        return invitation
    # Kept first: the outbox reads the copies from this row when it sends (at once, in tests).
    invitation.email_to = to
    invitation.email_cc = copies
    invitation.email_subject = subject
    invitation.email_body = kept_body
    invitation.sent_at = now
    invitation.save(
        update_fields=["email_to", "email_cc", "email_subject", "email_body", "sent_at"]
    )
    queue_invitation_email(
        invitation=invitation, to=to, subject=subject, body=body, kept_body=kept_body
    )
    return invitation


def invitation_copies(dedupe_key: str) -> list[str]:
    """portal.outbox's copies for an invitation's email: the CC the composer sent it with."""
    try:
        invitation_id = int(dedupe_key.split(":")[1])
    except (IndexError, ValueError):
        return []
    copies = Invitation.objects.filter(pk=invitation_id).values_list("email_cc", flat=True).first()
    return list(copies or [])


def invitation_email_key(invitation: Invitation, sends_before: int) -> str:
    """The outbox's deduplication key of an invitation's email: its first send is
    "invitation:<id>:sent" (a bulk job's retry finds it there and sends nothing more); a later,
    deliberate send from the composer gets the next number."""
    key = f"invitation:{invitation.pk}:sent"
    return key if sends_before == 0 else f"{key}:{sends_before + 1}"


def queue_invitation_email(
    *, invitation: Invitation, to: str, subject: str, body: str, kept_body: str
) -> None:
    """Put the message in the outbox (sent by a background task once the caller commits).
    The caller holds the invitation's row lock, so the count of earlier sends is stable."""
    prefix = f"invitation:{invitation.pk}:sent"
    sends_before = OutboxMessage.objects.filter(dedupe_key__startswith=prefix).count()
    outbox.queue(
        dedupe_key=invitation_email_key(invitation, sends_before),
        to=to,
        subject=subject,
        body_text=body,
        kept_text=kept_body,
        language=invitation.customer.language,
        partner_id=invitation.partner_id,
    )
