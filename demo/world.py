"""The demo world: demo/world.toml says who is in it and what happened to each customer; this
module plays it through the services the real flows use, so the demo holds what they produce.

Rows are written directly only where no flow exists: partners, agents and the operator (no
service creates them), the published agreement and the catalog (the operator's admin is their
path), and the few places marked "Direct write" below, each with its reason.
"""

from __future__ import annotations

import datetime
import tomllib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.text import slugify

from agreements import reacceptance
from agreements.models import AcceptanceMethod, AgreementDocument, AgreementTemplate, Channel
from agreements.selectors import version_in_force
from agreements.services import Contact, record_acceptance, request_attestation
from agreements.validators import portal_today
from alerts import daily as alerts_daily
from campaigns.selectors import campaign_versions
from customers.models import Customer, Relationship
from customers.services import create_customer, language_for_country, normalise_domain
from customers.status import refresh_agreement_status
from invitations.email import compose_email, invitation_link
from invitations.models import Invitation, InvitationKind
from invitations.services import (
    accept_invitation,
    accept_relationship_request,
    issue_invitation,
    onboard_customer,
    open_invitation,
    revoke_invitation,
    send_invitation,
)
from orders.models import Offer, Order, ProductType
from orders.selectors import due_for_renewal
from orders.services import OrderBlocked, import_earlier_order, place_order, renew_due_order
from portal.hashing import hash_token, new_token
from portal.models import Partner, PartnerKind, Role, User
from portal.profile import update_contact_details

DEMO_PASSWORD = "Demo-Password-2026"
WORLD_FILE = Path(__file__).with_name("world.toml")

# A table of world.toml, as tomllib reads it.
Spec = dict[str, Any]


def load(path: Path = WORLD_FILE) -> Spec:
    with path.open("rb") as file:
        return tomllib.load(file)


def days_ago(days: int) -> datetime.date:
    return portal_today() - datetime.timedelta(days=days)


def domain_of(spec: Spec) -> str:
    return normalise_domain(spec["name"])


def contact_of(customer: Customer) -> Contact:
    return Contact(
        customer.contact_first_name,
        customer.contact_last_name,
        customer.contact_email,
        customer.contact_phone,
    )


@dataclass
class Tenant:
    """One customer while its story plays, with the invitation its latest step sent."""

    spec: Spec
    partner: Partner
    agent: User
    customer: Customer
    admin: User
    invitation: Invitation | None = None


@dataclass
class Built:
    created: list[Customer] = field(default_factory=list)
    # A working link for each open demo invitation, in company-name order.
    links: list[tuple[Invitation, str]] = field(default_factory=list)


class World:
    """Builds the world a spec describes; whatever is there already is left as it is."""

    def __init__(self, spec: Spec, password_hash: str):
        self.spec = spec
        self.network = spec["network"]
        # One hash of DEMO_PASSWORD, given to every demo account (each PBKDF2 hash costs about
        # half a second); made by the caller with the hasher the portal runs with.
        self.password_hash = password_hash
        self.partners: dict[str, Partner] = {}
        # The agent who acts for each partner in the stories, by partner key.
        self.agents: dict[str, User] = {}
        self.offers: dict[str, Offer] = {}
        # The links of the invitations sent in this run (only their tokens' hashes are stored).
        self.sent_links: dict[int, str] = {}
        self.steps: dict[str, Callable[[Tenant, Spec], None]] = {
            "invite": self.invite,
            "accept": self.accept,
            "open": self.open,
            "revoke": self.revoke,
            "lapse": self.lapse,
            "attest": self.attest,
            "ask_provider": self.ask_provider,
            "accept_relationship": self.accept_relationship,
            "order": self.order,
            "refused_order": self.refused_order,
            "earlier_order": self.earlier_order,
            "renew": self.renew,
        }

    def build(self) -> Built:
        self.add_partners()
        self.add_people()
        self.name_contacts()
        self.publish_agreement()
        self.add_catalog()
        customers = self.spec["customers"]
        domains = [domain_of(spec) for spec in customers]
        existing = set(Customer.objects.filter(domain__in=domains).values_list("domain", flat=True))
        built = Built()
        for spec in customers:
            if domain_of(spec) not in existing:
                built.created.append(self.play(spec))
        built.links = self.open_links(domains)
        # The day's alerts, as the daily command would: lapsing invitations, deadlines near.
        alerts_daily.run()
        # v3 was published before the daily command's window (a week): tell of it as the
        # command did on its day, so its campaign's alert is there after `make run`.
        for version in campaign_versions():
            alerts_daily.announce_version(version)
        return built

    # --- partners, people, the agreement and the catalog -------------------------------------

    def add_partners(self) -> None:
        for spec in self.spec["partners"]:
            provider = self.partners[spec["provider"]] if "provider" in spec else None
            self.partners[spec["key"]], _ = Partner.objects.get_or_create(
                partner_id=spec["partner_id"],
                defaults={
                    "name": spec["name"],
                    "kind": PartnerKind(spec["kind"]),
                    "country": spec["country"],
                    "provider": provider,
                },
            )

    def user(self, email: str, name: list[str], **fields: Any) -> User:
        first_name, last_name = name
        user, _ = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "password": self.password_hash,
                **fields,
            },
        )
        return user

    def add_people(self) -> None:
        agents = {
            spec["email"]: self.user(
                spec["email"],
                spec["name"],
                partner=self.partners[spec["partner"]],
                role=Role(spec["role"]),
            )
            for spec in self.spec["agents"]
        }
        operator = self.spec["operator"]
        self.user(operator["email"], operator["name"], is_staff=True, is_superuser=True)
        for spec in self.spec["partners"]:
            self.agents[spec["key"]] = agents[spec["agent"]]

    def name_contacts(self) -> None:
        """Each partner's admin agent names its contact details on Partner profile (the same
        service, so the audit log has it); a partner that named some already is left alone."""
        admins = {
            spec["partner"]: spec["email"]
            for spec in self.spec["agents"]
            if spec["role"] == "admin_agent"
        }
        for spec in self.spec["partners"]:
            partner = self.partners[spec["key"]]
            if "contact" not in spec or partner.has_contact_details:
                continue
            contact = spec["contact"]
            update_contact_details(
                partner=partner,
                by=User.objects.get(email=admins[spec["key"]]),
                values={
                    "contact_email": contact.get("email", ""),
                    "contact_phone": contact.get("phone", ""),
                    "website": contact.get("website", ""),
                },
            )

    def publish_agreement(self) -> None:
        agreement = self.spec["agreement"]
        for version in agreement["versions"]:
            published_on = days_ago(version["published_days_ago"])
            requires = version.get("requires_reacceptance", False)
            template, created = AgreementTemplate.objects.get_or_create(
                version_rank=version["rank"],
                defaults={
                    "template_id": uuid.UUID(version["template_id"]),
                    "title": agreement["title"],
                    "published_on": published_on,
                    "requires_reacceptance": requires,
                    "reacceptance_deadline": (
                        timezone.localdate()
                        + datetime.timedelta(days=version["deadline_days_ahead"])
                        if requires
                        else None
                    ),
                },
            )
            for document in agreement["documents"]:
                country, language = document["country"], document["language"]
                if AgreementDocument.objects.filter(
                    template=template, country=country, language=language
                ).exists():
                    continue
                text = agreement["texts"][document["text"]].format(
                    version=version["rank"], country=country
                )
                AgreementDocument.objects.create(
                    template=template,
                    country=country,
                    language=language,
                    content_type="text/plain; charset=utf-8",
                    file=ContentFile(text.encode(), name="sample-agreement.txt"),
                )
            if created and requires:
                # As the admin does on saving it: the stored statuses follow (a no-op on a new
                # world, whose records are all written after it).
                reacceptance.schedule(template)

    def add_catalog(self) -> None:
        catalog = self.spec["catalog"]
        for spec in catalog["offers"]:
            self.offers[spec["offer_id"]], _ = Offer.objects.get_or_create(
                offer_id=spec["offer_id"],
                defaults={
                    "name": spec["name"],
                    "product_type": ProductType(spec["product_type"]),
                    "unit_price": spec["unit_price"],
                    "countries": catalog["countries"],
                },
            )

    # --- a customer's story --------------------------------------------------------------------

    def play(self, spec: Spec) -> Customer:
        story = self.spec["stories"].get(spec["story"])
        if story is None:
            raise CommandError(f"{spec['name']}: world.toml has no story {spec['story']!r}.")
        first, *rest = story["steps"]
        if first["do"] != "create":
            raise CommandError(f"The story {spec['story']!r} must start by creating the customer.")
        tenant = self.create(spec, first)
        for step in rest:
            if step["do"] not in self.steps:
                raise CommandError(f"The story {spec['story']!r} has an unknown step {step!r}.")
            self.steps[step["do"]](tenant, step)
        relationship = Relationship.objects.get(partner=tenant.partner, customer=tenant.customer)
        status = relationship.effective_agreement_status
        if status != story["state"]:
            raise CommandError(
                f"{tenant.customer.domain}: the story {spec['story']!r} left it {status!r} with "
                f"{tenant.partner.name}, where world.toml expects {story['state']!r}."
            )
        return tenant.customer

    def actor(self, tenant: Tenant, step: Spec) -> tuple[Partner, User]:
        """The partner a step is done for and its agent: the customer's own unless `by`."""
        key: str = step["by"] if "by" in step else tenant.spec["partner"]
        return self.partners[key], self.agents[key]

    def date_agreed(self, spec: Spec, step: Spec) -> datetime.date:
        days = step.get("agreed_days_ago", spec.get("agreed_days_ago"))
        if days is None:
            raise CommandError(f"{spec['name']}: its story attests, so it needs agreed_days_ago.")
        return days_ago(days)

    def ip_address(self, channel: str) -> str:
        return self.network["api_clients" if channel == Channel.API else "agents"]

    def create(self, spec: Spec, step: Spec) -> Tenant:
        """New customer (A1, B1, B2 or a plain tenant), then the admin's first sign-in."""
        partner, agent = self.partners[spec["partner"]], self.agents[spec["partner"]]
        first_name, last_name = spec["contact"]
        country = self.spec["countries"][spec["country"]]
        customer = Customer(
            company_name=spec["company"],
            domain=domain_of(spec),
            country=spec["country"],
            address_line1=country["address"],
            city=spec["city"],
            postal_code=country["postal_code"],
            state=country.get("state", ""),
            language=language_for_country(spec["country"]),
            contact_first_name=first_name,
            contact_last_name=last_name,
            contact_email=f"{slugify(first_name)}@{spec['name']}.example",
            contact_phone=country["phone"],
        )
        kind = step.get("invite")
        if step.get("attest") or kind:
            agreed = self.date_agreed(spec, step) if step.get("attest") else None
            new = onboard_customer(
                partner=partner,
                created_by=agent,
                customer=customer,
                attestation=(contact_of(customer), agreed) if agreed else None,
                # The agent records the version the customer was shown on that date.
                attested_version=version_in_force(spec["country"], agreed) if agreed else None,
                invitation_kind=InvitationKind(kind) if kind else None,
                channel=Channel.WEB,
                ip_address=self.ip_address(Channel.WEB),
                user_agent=self.network["user_agent"],
            )
            tenant = Tenant(spec, partner, agent, new.customer, new.admin)
            if new.invitation is not None and new.invitation_link is not None:
                # B1's email carries the credentials, as the confirmation page's draft does.
                self.send(tenant, new.invitation, new.invitation_link, new.password)
        else:
            customer, admin, _password = create_customer(
                partner=partner, created_by=agent, customer=customer
            )
            tenant = Tenant(spec, partner, agent, customer, admin)
        self.first_sign_in(tenant.admin)
        return tenant

    def first_sign_in(self, admin: User) -> None:
        # Direct write: the customer admin's first sign-in replaces the temporary password, as
        # the admin center's password change does (new password, must_change_password cleared);
        # every demo account's is DEMO_PASSWORD (README). The password change form would hash
        # three times per customer, so the one hash computed for the run is set instead.
        admin.password = self.password_hash
        admin.must_change_password = False
        admin.save(update_fields=["password", "must_change_password"])

    def send(
        self, tenant: Tenant, invitation: Invitation, link: str, password: str | None = None
    ) -> None:
        """The composer's Send: the generated message, as the agent would send it unedited."""
        email = compose_email(invitation, link, password)
        tenant.invitation = send_invitation(
            invitation=invitation, subject=email.subject, body=email.body
        )
        self.sent_links[invitation.pk] = link

    def invite(self, tenant: Tenant, step: Spec) -> None:
        partner, agent = self.actor(tenant, step)
        invitation, link = issue_invitation(
            partner=partner,
            customer=tenant.customer,
            kind=InvitationKind(step["kind"]),
            created_by=agent,
            # The blocked stories (D1/D2) invite a customer that bought before on purpose: the
            # agent saw the warning and sent anyway.
            blocked_ok=True,
        )
        self.send(tenant, invitation, link)

    def latest_invitation(self, tenant: Tenant) -> Invitation:
        if tenant.invitation is None:
            raise CommandError(
                f"{tenant.customer.domain}: its story acts on an invitation it never sent."
            )
        return tenant.invitation

    def open(self, tenant: Tenant, step: Spec) -> None:
        """The customer admin signs in and opens the link: D1 and D2 are blocked here (R6)."""
        open_invitation(self.latest_invitation(tenant))

    def accept(self, tenant: Tenant, step: Spec) -> None:
        """The customer admin opens the link, ticks the boxes and accepts (C)."""
        invitation = self.latest_invitation(tenant)
        open_invitation(invitation)
        tenant.invitation = accept_invitation(
            invitation_id=invitation.pk,
            user=tenant.admin,
            accept_agreement=True,
            accept_relationship=invitation.asks_for_relationship,
            ip_address=self.network["customers"],
            user_agent=self.network["user_agent"],
        )

    def revoke(self, tenant: Tenant, step: Spec) -> None:
        revoke_invitation(invitation=self.latest_invitation(tenant))

    def lapse(self, tenant: Tenant, step: Spec) -> None:
        invitation = self.latest_invitation(tenant)
        shift = datetime.timedelta(days=step["days_ago"])
        # Direct write: the invitation was sent `days_ago` days ago and has lapsed since. No
        # service issues or sends an invitation in the past, so its dates are moved back after
        # sending it (its lifetime kept); then the agreement status is recomputed, as the
        # services recompute it after each of their own writes.
        Invitation.objects.filter(pk=invitation.pk).update(
            created_at=invitation.created_at - shift,
            sent_at=invitation.sent_at - shift if invitation.sent_at else None,
            expires_at=invitation.expires_at - shift,
        )
        refresh_agreement_status(tenant.customer)

    def attest(self, tenant: Tenant, step: Spec) -> None:
        partner, agent = self.actor(tenant, step)
        channel = Channel(step.get("channel", Channel.WEB))
        agreed = self.date_agreed(tenant.spec, step)
        record_acceptance(
            customer=tenant.customer,
            partner=partner,
            recorded_by=agent,
            method=AcceptanceMethod.PARTNER_ATTESTATION,
            channel=channel,
            contact=contact_of(tenant.customer),
            date_agreed=agreed,
            template=version_in_force(tenant.customer.country.code, agreed),
            ip_address=self.ip_address(channel),
            user_agent=self.network["user_agent"],
        )

    def ask_provider(self, tenant: Tenant, step: Spec) -> None:
        request_attestation(
            customer=tenant.customer, reseller=tenant.partner, requested_by=tenant.agent
        )

    def accept_relationship(self, tenant: Tenant, step: Spec) -> None:
        """The customer admin accepts a partner's standing reseller relationship link (B2)."""
        accept_relationship_request(
            partner=self.partners[step["partner"]], customer=tenant.customer
        )

    def lines(self, step: Spec) -> list[tuple[Offer, int]]:
        return [(self.offers[offer_id], step["quantity"]) for offer_id in step["offers"]]

    def order(self, tenant: Tenant, step: Spec) -> None:
        partner, agent = self.actor(tenant, step)
        order = place_order(
            customer=tenant.customer,
            partner=partner,
            placed_by=agent,
            lines=self.lines(step),
            ip_address=self.ip_address(Channel.WEB),
            user_agent=self.network["user_agent"],
        )
        if step.get("days_ago"):
            shift = datetime.timedelta(days=step["days_ago"])
            # Direct write: the order was placed `days_ago` days ago, so its renewal is due by
            # now. place_order places an order now, so its date, and the renewal date that
            # follows from it, are moved back after placing it.
            Order.objects.filter(pk=order.pk).update(
                placed_at=order.placed_at - shift,
                renewal_due=order.renewal_due - shift if order.renewal_due else None,
            )

    def refused_order(self, tenant: Tenant, step: Spec) -> None:
        """An order tried before anything is on record: the gate refuses it and keeps the
        refusal (orders.GateRefusal), which the dashboard's queue lists."""
        partner, agent = self.actor(tenant, step)
        try:
            place_order(
                customer=tenant.customer,
                partner=partner,
                placed_by=agent,
                lines=self.lines(step),
                ip_address=self.ip_address(Channel.WEB),
                user_agent=self.network["user_agent"],
            )
        except OrderBlocked:
            return
        raise CommandError(f"{tenant.customer.domain}: the gate let a refused_order through.")

    def earlier_order(self, tenant: Tenant, step: Spec) -> None:
        partner, agent = self.actor(tenant, step)
        lines = self.lines(step)
        placed_at = timezone.now() - datetime.timedelta(days=step["days_ago"])
        # Scenario D1: a purchase made through this partner before the portal's order gate
        # existed, as an import of the partner's earlier records brings it in (place_order
        # would need an acceptance on record first, leaving the customer attested, not blocked).
        import_earlier_order(
            customer=tenant.customer,
            partner=partner,
            placed_by=agent,
            lines=lines,
            placed_at=placed_at,
        )

    def renew(self, tenant: Tenant, step: Spec) -> None:
        """What the renewal job (renew_subscriptions) does for this customer's due orders."""
        today = portal_today()
        due = list(
            due_for_renewal(today).filter(customer=tenant.customer).values_list("pk", flat=True)
        )
        for order_pk in due:
            renew_due_order(order_pk, today)

    # --- the links to print ---------------------------------------------------------------------

    def open_links(self, domains: list[str]) -> list[tuple[Invitation, str]]:
        """A working link for each open demo invitation.

        An invitation sent in this run has the link it was sent with. One from an earlier run
        has only its token's hash on record, so it gets a new token, and its old link stops
        working: what Resend does, minus the replacement row.
        """
        links = []
        for invitation in (
            Invitation.objects.live()
            .filter(customer__domain__in=domains)
            .select_related("customer", "partner")
            .order_by("customer__company_name")
        ):
            link = self.sent_links.get(invitation.pk) or self.new_link(invitation)
            links.append((invitation, link))
        return links

    def new_link(self, invitation: Invitation) -> str:
        token = new_token()
        # Direct write: no service gives a live invitation a new link and keeps it the same
        # invitation. resend_invitation revokes it and issues another, so every run would add a
        # revoked invitation per open one, and the demo world would grow with each `make run`.
        Invitation.objects.filter(pk=invitation.pk).update(token_hash=hash_token(token))
        return invitation_link(token)
