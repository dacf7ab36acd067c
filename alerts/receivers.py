"""The events that happen as something is written, heard where it is written (model signals
and invitations' own), so the notifications and emails commit with the change."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.urls import reverse
from django.utils.translation import gettext as _

from agreements.models import Acceptance, AcceptanceMethod, AttestationRequest
from alerts.models import Event
from alerts.services import Message, agents_of, notify
from alerts.webhooks import Resource, emit
from invitations.models import Invitation
from invitations.signals import invitation_blocked
from orders.models import GateRefusal


def _customer_link(customer) -> str:
    return reverse("customers:detail", args=[customer.tenant_id])


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
    notify(
        event=Event.ACCEPTED_DIRECTLY,
        key=key,
        recipients=agents_of([instance.partner_id]),
        compose=compose,
    )
    emit(
        event=Event.ACCEPTED_DIRECTLY,
        key=key,
        partner_ids=[instance.partner_id],
        resource=Resource(
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
    notify(
        event=Event.INVITATION_BLOCKED,
        key=key,
        recipients=agents_of([invitation.partner_id]),
        compose=compose,
    )
    emit(
        event=Event.INVITATION_BLOCKED,
        key=key,
        partner_ids=[invitation.partner_id],
        resource=_customer_resource(customer),
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
    notify(
        event=Event.ATTESTATION_REQUESTED,
        key=key,
        recipients=agents_of([instance.provider_id]),
        compose=compose,
    )
    emit(
        event=Event.ATTESTATION_REQUESTED,
        key=key,
        partner_ids=[instance.provider_id],
        resource=_customer_resource(instance.customer, ResellerName=instance.reseller.name),
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
    notify(
        event=Event.ORDER_REFUSED,
        key=key,
        recipients=agents_of([instance.partner_id]),
        compose=compose,
    )
    emit(
        event=Event.ORDER_REFUSED,
        key=key,
        partner_ids=[instance.partner_id],
        resource=_customer_resource(instance.customer, Channel=instance.channel),
        at=instance.at,
    )


def connect() -> None:
    post_save.connect(accepted_directly, sender=Acceptance, dispatch_uid="alerts.accepted")
    post_save.connect(
        attestation_requested, sender=AttestationRequest, dispatch_uid="alerts.asked"
    )
    post_save.connect(order_refused, sender=GateRefusal, dispatch_uid="alerts.refused")
    invitation_blocked.connect(blocked, dispatch_uid="alerts.blocked")
