"""The events that happen as something is written, heard where it is written (model signals
and invitations' and signing's own), so the notifications and emails commit with the change."""

from __future__ import annotations

import datetime

from django.db.models.signals import post_save
from django.urls import reverse
from django.utils.translation import gettext as _

from agreements.models import Acceptance, AcceptanceMethod, AttestationRequest
from alerts.models import Event
from alerts.services import Message, agents_of, notify
from alerts.webhooks import Resource, emit
from invitations.models import Invitation
from invitations.signals import invitation_blocked, invitation_declined
from orders.models import GateRefusal
from signing.models import SigningRequest
from signing.signals import signing_declined


def _customer_link(customer) -> str:
    return reverse("customers:detail", args=[customer.tenant_id])


def _announce(
    event: str,
    key: str,
    partner_id: int,
    compose,
    resource: Resource,
    *,
    at: datetime.datetime | None = None,
) -> None:
    """Tell the partner's agents (each as it chose) and its webhooks about one event."""
    notify(event=event, key=key, recipients=agents_of([partner_id]), compose=compose)
    emit(event=event, key=key, partner_ids=[partner_id], resource=resource, at=at)


def _customer_resource(customer, **data) -> Resource:
    return Resource(
        "Customer",
        reverse("api:customer", args=[customer.tenant_id]),
        {"CustomerTenantId": str(customer.tenant_id), **data},
    )


def accepted_directly(sender, instance: Acceptance, created: bool, **kwargs) -> None:
    if not created or instance.method != AcceptanceMethod.DIRECT_ACCEPTANCE:
        return
    customer = instance.customer

    def compose() -> Message:
        names = {"customer": customer.company_name, "version": instance.template.version_rank}
        return Message(
            _("%(customer)s accepted the Microsoft Customer Agreement") % names,
            _(
                "%(customer)s accepted version %(version)s of the Microsoft Customer Agreement "
                "in the admin center, in answer to your invitation."
            )
            % names,
            _customer_link(customer),
        )

    key = f"accepted:{instance.public_id}"
    _announce(
        Event.ACCEPTED_DIRECTLY,
        key,
        instance.partner_id,
        compose,
        Resource(
            "CustomerAgreement",
            reverse("api:customer-agreements", args=[customer.tenant_id]),
            {
                "CustomerTenantId": str(customer.tenant_id),
                "RecordId": str(instance.public_id),
                "TemplateId": str(instance.template.template_id),
                "VersionRank": instance.template.version_rank,
            },
        ),
    )


def blocked(sender, invitation: Invitation, **kwargs) -> None:
    customer = invitation.customer

    def compose() -> Message:
        names = {"customer": customer.company_name}
        return Message(
            _("%(customer)s can't accept directly: attest on its behalf") % names,
            _(
                "%(customer)s has bought before, so its invitation to accept the Microsoft "
                "Customer Agreement in the admin center was blocked. An admin or sales agent "
                "must attest the acceptance on its behalf."
            )
            % names,
            _customer_link(customer),
        )

    key = f"blocked:{invitation.pk}"
    _announce(
        Event.INVITATION_BLOCKED,
        key,
        invitation.partner_id,
        compose,
        _customer_resource(customer),
    )


def _their_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        return _("They gave no reason.")
    return _("Their reason: “%(reason)s”") % {"reason": reason}


def invitation_was_declined(sender, invitation: Invitation, **kwargs) -> None:
    """The customer's admin said no in the admin center: the partner may resend or ask
    otherwise (the dashboard's queue has it too)."""
    customer = invitation.customer

    def compose() -> Message:
        names = {"customer": customer.company_name, "kind": invitation.get_kind_display()}
        return Message(
            _("%(customer)s declined your invitation") % names,
            _("%(customer)s declined your invitation in the admin center (%(kind)s).") % names
            + " "
            + _their_reason(invitation.decline_reason),
            _customer_link(customer),
        )

    key = f"declined:invitation:{invitation.pk}"
    _announce(
        Event.CUSTOMER_DECLINED,
        key,
        invitation.partner_id,
        compose,
        _customer_resource(
            customer,
            RequestType="Invitation",
            InvitationId=str(invitation.public_id),
            Reason=invitation.decline_reason,
        ),
        at=invitation.declined_at,
    )


def signing_was_declined(sender, signing_request: SigningRequest, **kwargs) -> None:
    """The signatory declined the signing link: the partner may send a new one."""
    customer = signing_request.customer

    def compose() -> Message:
        names = {"customer": customer.company_name, "signatory": signing_request.full_name}
        return Message(
            _("%(signatory)s declined to sign for %(customer)s") % names,
            _(
                "%(signatory)s declined to accept the Microsoft Customer Agreement for "
                "%(customer)s through your signing link."
            )
            % names
            + " "
            + _their_reason(signing_request.decline_reason),
            _customer_link(customer),
        )

    key = f"declined:signing:{signing_request.pk}"
    _announce(
        Event.CUSTOMER_DECLINED,
        key,
        signing_request.partner_id,
        compose,
        Resource(
            "EnhancedAttestation",
            reverse("api:enhanced-attestation", args=[signing_request.public_id]),
            {
                "CustomerTenantId": str(customer.tenant_id),
                "RequestType": "SigningLink",
                "AttestationId": str(signing_request.public_id),
                "Reason": signing_request.decline_reason,
            },
        ),
        at=signing_request.declined_at,
    )


def attestation_requested(sender, instance: AttestationRequest, created: bool, **kwargs) -> None:
    if not created:
        return

    def compose() -> Message:
        names = {"reseller": instance.reseller.name, "customer": instance.customer.company_name}
        return Message(
            _("%(reseller)s asks you to attest for %(customer)s") % names,
            _(
                "Your reseller %(reseller)s asked you to attest that %(customer)s accepted the "
                "Microsoft Customer Agreement."
            )
            % names,
            _customer_link(instance.customer),
        )

    key = f"asked:{instance.pk}"
    _announce(
        Event.ATTESTATION_REQUESTED,
        key,
        instance.provider_id,
        compose,
        _customer_resource(instance.customer, ResellerName=instance.reseller.name),
    )


def order_refused(sender, instance: GateRefusal, created: bool, **kwargs) -> None:
    if not created:
        return

    def compose() -> Message:
        names = {"customer": instance.customer.company_name}
        return Message(
            _("An order for %(customer)s was refused by the order gate") % names,
            _(
                "A new order for %(customer)s was refused: no acceptance of the Microsoft "
                "Customer Agreement that counts is on record. Record it, and the order can go "
                "ahead."
            )
            % names,
            reverse("portfolio:refusals"),
        )

    key = f"refused:{instance.pk}"
    _announce(
        Event.ORDER_REFUSED,
        key,
        instance.partner_id,
        compose,
        _customer_resource(instance.customer, Channel=instance.channel),
        at=instance.at,
    )


def connect() -> None:
    post_save.connect(accepted_directly, sender=Acceptance, dispatch_uid="alerts.accepted")
    post_save.connect(attestation_requested, sender=AttestationRequest, dispatch_uid="alerts.asked")
    post_save.connect(order_refused, sender=GateRefusal, dispatch_uid="alerts.refused")
    invitation_blocked.connect(blocked, dispatch_uid="alerts.blocked")
    invitation_declined.connect(invitation_was_declined, dispatch_uid="alerts.declined")
    signing_declined.connect(signing_was_declined, dispatch_uid="alerts.signing_declined")
