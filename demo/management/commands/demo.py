"""Load a realistic demo world. Idempotent: re-running leaves one copy of everything."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from agreements.models import AcceptanceMethod, AgreementDocument, AgreementTemplate, Channel
from agreements.services import Contact, record_acceptance
from customers.models import Customer, Relationship, RelationshipOrigin, RelationshipStatus
from customers.status import refresh_agreement_status
from invitations.models import Invitation, InvitationKind, InvitationStatus, hash_token, new_token
from invitations.services import invitation_link
from orders.models import Offer, Order, OrderLine, ProductType
from orders.services import renew_due_order
from portal.models import Partner, PartnerKind, Role, User

DEMO_PASSWORD = "Demo-Password-2026"
DEMO_NAMESPACE = uuid.UUID("6f1c8a52-3d4e-4b8f-9a51-2c7d0e9b4a10")

SAMPLE_TEXT = {
    "cs-CZ": (
        "UKÁZKOVÝ TEXT — NEJDE O SKUTEČNOU ZÁKAZNICKOU SMLOUVU MICROSOFTU\n\n"
        "Zákaznická smlouva Microsoftu (ukázka, verze {version}, {country})\n\n"
        "Tento dokument napsal tým MCA Portálu jako ukázková data. Zastupuje skutečný text "
        "smlouvy, který provozovatel nahraje v administraci.\n\n"
        "1. Přijetím této smlouvy zákazník souhlasí s podmínkami používání cloudových služeb.\n"
        "2. Partner může potvrdit přijetí jménem zákazníka, nebo zákazník smlouvu přijme sám "
        "v centru pro správu.\n"
        "3. Datum přijetí smlouvy nelze nastavit na budoucí datum.\n"
    ),
    "en-US": (
        "SAMPLE TEXT — NOT THE REAL MICROSOFT CUSTOMER AGREEMENT\n\n"
        "Microsoft Customer Agreement (sample, version {version}, {country})\n\n"
        "This document was written by the MCA Portal team as demo data. It stands in for the "
        "real agreement text that an operator uploads in the admin site.\n\n"
        "1. By accepting this agreement the customer agrees to the terms of use of cloud "
        "services.\n"
        "2. A partner may attest acceptance on the customer's behalf, or the customer accepts "
        "it directly in the admin center.\n"
        "3. The date the agreement was accepted can't be in the future.\n"
    ),
    "de-DE": (
        "BEISPIELTEXT — NICHT DER ECHTE MICROSOFT-KUNDENVERTRAG\n\n"
        "Microsoft-Kundenvertrag (Beispiel, Version {version}, {country})\n\n"
        "Dieses Dokument hat das MCA-Portal-Team als Demodaten geschrieben. Es vertritt den "
        "echten Vertragstext, den ein Betreiber im Admin-Bereich hochlädt.\n\n"
        "1. Mit der Annahme stimmt der Kunde den Nutzungsbedingungen der Clouddienste zu.\n"
        "2. Ein Partner kann die Annahme im Namen des Kunden bestätigen, oder der Kunde nimmt "
        "den Vertrag im Admin Center selbst an.\n"
        "3. Das Annahmedatum darf nicht in der Zukunft liegen.\n"
    ),
}
SAMPLE_TEXT["en-GB"] = SAMPLE_TEXT["en-US"]
DOCUMENTS = [("CZ", "cs-CZ"), ("US", "en-US"), ("DE", "de-DE"), ("GB", "en-GB")]

OFFERS = [
    ("MS-365-BUSINESS-STD", "Microsoft 365 Business Standard", ProductType.LICENSE, "12.50"),
    ("MS-365-E3", "Microsoft 365 E3", ProductType.LICENSE, "36.00"),
    (
        "VISIO-PLAN2-SUB",
        "Visio Plan 2 (software subscription)",
        ProductType.SOFTWARE_SUBSCRIPTION,
        "15.00",
    ),
    (
        "WIN-SERVER-2025-STD",
        "Windows Server 2025 Standard",
        ProductType.PERPETUAL_SOFTWARE,
        "1069.00",
    ),
    (
        "AZ-RI-D4SV5-1Y",
        "Azure Reserved VM Instance D4s v5, 1 year",
        ProductType.RESERVED_INSTANCE,
        "1450.00",
    ),
    ("AZURE-PLAN", "Azure plan", ProductType.AZURE_PLAN, "0.00"),
]


@dataclass
class DemoCustomer:
    partner: str
    company: str
    slug: str
    country: str
    language: str
    contact: tuple[str, str]
    # attested / accepted / invited / blocked_d1 / blocked_d2 / none / provider_attested / asked
    # / expired / revoked / renewed
    state: str
    city: str = "Praha"


CUSTOMERS = [
    # Contoso Partner (direct-bill)
    DemoCustomer(
        "contoso", "Novák Stavby s.r.o.", "novakstavby", "CZ", "cs", ("Petr", "Novák"), "attested"
    ),
    DemoCustomer(
        "contoso",
        "Pekárna Dvořák a.s.",
        "pekarnadvorak",
        "CZ",
        "cs",
        ("Eva", "Dvořáková"),
        "attested",
        "Brno",
    ),
    DemoCustomer(
        "contoso",
        "Adatum Corporation",
        "adatum",
        "US",
        "en",
        ("Ann", "Beebe"),
        "attested",
        "Seattle",
    ),
    DemoCustomer(
        "contoso",
        "Tailspin Toys GmbH",
        "tailspintoys",
        "DE",
        "de",
        ("Jonas", "Weber"),
        "attested",
        "Berlin",
    ),
    DemoCustomer(
        "contoso",
        "Wingtip Toys Ltd",
        "wingtiptoys",
        "GB",
        "en",
        ("Olivia", "Smith"),
        "attested",
        "London",
    ),
    DemoCustomer(
        "contoso", "Coho Winery", "cohowinery", "US", "en", ("Mark", "Hanson"), "accepted", "Napa"
    ),
    DemoCustomer(
        "contoso",
        "Kovárna Horák s.r.o.",
        "kovarnahorak",
        "CZ",
        "cs",
        ("Jan", "Horák"),
        "accepted",
        "Ostrava",
    ),
    DemoCustomer(
        "contoso",
        "Alpine Ski House GmbH",
        "alpineskihouse",
        "DE",
        "de",
        ("Lena", "Fischer"),
        "accepted",
        "München",
    ),
    DemoCustomer(
        "contoso",
        "Zelenina Svoboda s.r.o.",
        "zeleninasvoboda",
        "CZ",
        "cs",
        ("Marie", "Svobodová"),
        "invited",
        "Plzeň",
    ),
    DemoCustomer(
        "contoso",
        "Fourth Coffee",
        "fourthcoffee",
        "US",
        "en",
        ("Kim", "Abercrombie"),
        "invited",
        "Portland",
    ),
    DemoCustomer(
        "contoso",
        "Margie's Travel Ltd",
        "margiestravel",
        "GB",
        "en",
        ("Margie", "Shoop"),
        "invited",
        "Leeds",
    ),
    DemoCustomer(
        "contoso",
        "Tiskárna Černý s.r.o.",
        "tiskarnacerny",
        "CZ",
        "cs",
        ("Tomáš", "Černý"),
        "blocked_d1",
        "Liberec",
    ),
    DemoCustomer(
        "contoso",
        "Proseware Inc.",
        "proseware",
        "US",
        "en",
        ("Dan", "Park"),
        "blocked_d2",
        "Austin",
    ),
    DemoCustomer(
        "contoso",
        "Lucerne Publishing",
        "lucernepublishing",
        "US",
        "en",
        ("Ben", "Miller"),
        "none",
        "Boston",
    ),
    DemoCustomer(
        "contoso",
        "Autoservis Procházka",
        "autoservisprochazka",
        "CZ",
        "cs",
        ("Lukáš", "Procházka"),
        "none",
        "Olomouc",
    ),
    DemoCustomer(
        "contoso",
        "Graphic Design Institute",
        "graphicdesigninstitute",
        "GB",
        "en",
        ("Amy", "Jones"),
        "none",
        "Bristol",
    ),
    DemoCustomer(
        "contoso",
        "Bäckerei Schmidt GmbH",
        "baeckereischmidt",
        "DE",
        "de",
        ("Paul", "Schmidt"),
        "none",
        "Hamburg",
    ),
    # Fabrikam Distribution (indirect provider)
    DemoCustomer(
        "fabrikam",
        "Humongous Insurance",
        "humongousinsurance",
        "US",
        "en",
        ("Sara", "Davis"),
        "attested",
        "Chicago",
    ),
    DemoCustomer(
        "fabrikam",
        "Vinařství Veselý",
        "vinarstvivesely",
        "CZ",
        "cs",
        ("Karel", "Veselý"),
        "invited",
        "Mikulov",
    ),
    DemoCustomer(
        "fabrikam", "Trey Research", "treyresearch", "GB", "en", ("Tom", "Clark"), "none", "Oxford"
    ),
    # Northwind Reseller (indirect reseller of Fabrikam)
    DemoCustomer(
        "northwind",
        "Relecloud",
        "relecloud",
        "US",
        "en",
        ("Ivy", "Chen"),
        "provider_attested",
        "Denver",
    ),
    DemoCustomer(
        "northwind",
        "Lékárna Marková",
        "lekarnamarkova",
        "CZ",
        "cs",
        ("Lucie", "Marková"),
        "accepted",
        "Hradec Králové",
    ),
    DemoCustomer(
        "northwind",
        "Southridge Video",
        "southridgevideo",
        "US",
        "en",
        ("Ray", "Lopez"),
        "none",
        "Phoenix",
    ),
    DemoCustomer(
        "northwind",
        "Truhlářství Kučera",
        "truhlarstvikucera",
        "CZ",
        "cs",
        ("Pavel", "Kučera"),
        "asked",
        "Zlín",
    ),
    # Litware Cloud (another direct-bill partner)
    DemoCustomer(
        "litware",
        "Contoso Pharmaceuticals",
        "contosopharma",
        "US",
        "en",
        ("Nina", "Ross"),
        "attested",
        "Newark",
    ),
    DemoCustomer(
        "litware",
        "Datová Centra Brno a.s.",
        "datovacentrabrno",
        "CZ",
        "cs",
        ("Ondřej", "Král"),
        "attested",
        "Brno",
    ),
    DemoCustomer(
        "litware",
        "Woodgrove Bank",
        "woodgrovebank",
        "GB",
        "en",
        ("Harry", "Wood"),
        "accepted",
        "Manchester",
    ),
    DemoCustomer(
        "litware",
        "Blue Yonder Airlines",
        "blueyonderairlines",
        "DE",
        "de",
        ("Anna", "Wolf"),
        "none",
        "Frankfurt",
    ),
    DemoCustomer(
        "litware",
        "School of Fine Art",
        "schooloffineart",
        "US",
        "en",
        ("Lee", "Grant"),
        "none",
        "Denver",
    ),
    DemoCustomer(
        "litware",
        "Cestovka Němec",
        "cestovkanemec",
        "CZ",
        "cs",
        ("Jiří", "Němec"),
        "none",
        "Pardubice",
    ),
    # The states a list's filters need to show something: a lapsed and a revoked invitation,
    # and a subscription that has renewed itself.
    DemoCustomer(
        "contoso",
        "Bellows College",
        "bellowscollege",
        "US",
        "en",
        ("Ben", "Miller"),
        "expired",
        "Madison",
    ),
    DemoCustomer(
        "contoso",
        "Stolařství Beneš",
        "stolarstvibenes",
        "CZ",
        "cs",
        ("Pavel", "Beneš"),
        "revoked",
        "Tábor",
    ),
    DemoCustomer(
        "contoso",
        "Wide World Importers Ltd",
        "wideworldimporters",
        "GB",
        "en",
        ("Amy", "Clarke"),
        "renewed",
        "Cambridge",
    ),
]

ADDRESSES = {
    "CZ": ("Národní 1", "110 00"),
    "US": ("1 Main Street", "98052"),
    "DE": ("Hauptstraße 1", "10115"),
    "GB": ("1 High Street", "SW1A 1AA"),
}
PHONES = {"CZ": "+420601234567", "US": "+12065550100", "DE": "+4930123456", "GB": "+442079460000"}


class Command(BaseCommand):
    help = "Load the demo partners, agents, agreement templates, offers and ~30 customers."

    def handle(self, *args, **options) -> None:
        self.password_hash = make_password(DEMO_PASSWORD)  # one real hash, reused
        with transaction.atomic():
            partners = self.partners()
            agents = self.agents(partners)
            self.templates()
            offers = self.offers()
            created = self.customers(partners, agents, offers)
            links = self.fresh_invitation_links()
        self.report(created, links)

    # --- partners and people -------------------------------------------------------------
    def partners(self) -> dict[str, Partner]:
        def partner(key, name, pid, kind, country, provider=None):
            obj, _ = Partner.objects.get_or_create(
                partner_id=pid,
                defaults={"name": name, "kind": kind, "country": country, "provider": provider},
            )
            return obj

        fabrikam = partner(
            "fabrikam", "Fabrikam Distribution", "4100200", PartnerKind.INDIRECT_PROVIDER, "DE"
        )
        return {
            "contoso": partner(
                "contoso", "Contoso Partner", "4100100", PartnerKind.DIRECT_BILL, "CZ"
            ),
            "fabrikam": fabrikam,
            "northwind": partner(
                "northwind",
                "Northwind Reseller",
                "4100300",
                PartnerKind.INDIRECT_RESELLER,
                "CZ",
                fabrikam,
            ),
            "litware": partner(
                "litware", "Litware Cloud", "4100400", PartnerKind.DIRECT_BILL, "US"
            ),
        }

    def user(self, email: str, first: str, last: str, **fields) -> User:
        user, _ = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "password": self.password_hash,
                **fields,
            },
        )
        return user

    def agents(self, partners: dict[str, Partner]) -> dict[str, User]:
        contoso = partners["contoso"]
        agents = {
            "contoso_admin": self.user(
                "admin@contoso.example", "Adéla", "Adminová", partner=contoso, role=Role.ADMIN_AGENT
            ),
            "contoso_sales": self.user(
                "sales@contoso.example",
                "Samuel",
                "Prodejce",
                partner=contoso,
                role=Role.SALES_AGENT,
            ),
            "contoso_helpdesk": self.user(
                "helpdesk@contoso.example",
                "Hana",
                "Podpora",
                partner=contoso,
                role=Role.HELPDESK_AGENT,
            ),
            "contoso_billing": self.user(
                "billing@contoso.example",
                "Bohumil",
                "Účetní",
                partner=contoso,
                role=Role.BILLING_ADMIN,
            ),
            "fabrikam_admin": self.user(
                "admin@fabrikam.example",
                "Frank",
                "Miller",
                partner=partners["fabrikam"],
                role=Role.ADMIN_AGENT,
            ),
            "northwind_sales": self.user(
                "sales@northwind.example",
                "Nora",
                "Nováková",
                partner=partners["northwind"],
                role=Role.SALES_AGENT,
            ),
            "litware_admin": self.user(
                "admin@litware.example",
                "Lisa",
                "Taylor",
                partner=partners["litware"],
                role=Role.ADMIN_AGENT,
            ),
        }
        self.user(
            "operator@mca-portal.example", "Otto", "Operátor", is_staff=True, is_superuser=True
        )
        return agents

    # --- catalog and agreements ----------------------------------------------------------
    def templates(self) -> None:
        today = timezone.localdate()
        for rank, published in (
            (1, today - datetime.timedelta(days=400)),
            (2, today - datetime.timedelta(days=60)),
        ):
            template, _ = AgreementTemplate.objects.get_or_create(
                version_rank=rank,
                defaults={
                    "template_id": uuid.uuid5(DEMO_NAMESPACE, f"mca-v{rank}"),
                    "title": "Microsoft Customer Agreement",
                    "published_on": published,
                },
            )
            for country, language in DOCUMENTS:
                if AgreementDocument.objects.filter(
                    template=template, country=country, language=language
                ).exists():
                    continue
                text = SAMPLE_TEXT[language].format(version=rank, country=country)
                AgreementDocument.objects.create(
                    template=template,
                    country=country,
                    language=language,
                    content_type="text/plain; charset=utf-8",
                    file=ContentFile(text.encode(), name="sample-agreement.txt"),
                )

    def offers(self) -> dict[str, Offer]:
        offers = {}
        for offer_id, name, product_type, price in OFFERS:
            offers[product_type], _ = Offer.objects.get_or_create(
                offer_id=offer_id,
                defaults={
                    "name": name,
                    "product_type": product_type,
                    "unit_price": price,
                    "countries": ["CZ", "US", "DE", "GB"],
                },
            )
        return offers

    # --- customers in every state --------------------------------------------------------
    def customers(self, partners, agents, offers) -> list[Customer]:
        created = []
        writer = {
            "contoso": agents["contoso_sales"],
            "fabrikam": agents["fabrikam_admin"],
            "northwind": agents["northwind_sales"],
            "litware": agents["litware_admin"],
        }
        for index, spec in enumerate(CUSTOMERS):
            domain = f"{spec.slug}.onmicrosoft.com"
            if Customer.objects.filter(domain=domain).exists():
                continue
            partner = partners[spec.partner]
            agent = writer[spec.partner]
            address, postal = ADDRESSES[spec.country]
            customer = Customer.objects.create(
                company_name=spec.company,
                domain=domain,
                country=spec.country,
                address_line1=address,
                city=spec.city,
                postal_code=postal,
                language=spec.language,
                contact_first_name=spec.contact[0],
                contact_last_name=spec.contact[1],
                contact_email=f"{slugify(spec.contact[0])}@{spec.slug}.example",
                contact_phone=PHONES[spec.country],
                created_by=agent,
            )
            admin = self.user(
                f"admin@{domain}", spec.contact[0], spec.contact[1], customer=customer
            )
            relationship = Relationship.objects.create(
                partner=partner,
                customer=customer,
                origin=RelationshipOrigin.CREATED_BY_PARTNER,
                activated_at=timezone.now(),
            )
            agreed = timezone.localdate() - datetime.timedelta(days=10 + index * 7)
            contact = Contact(
                spec.contact[0], spec.contact[1], customer.contact_email, customer.contact_phone
            )
            self.apply_state(
                spec,
                customer,
                admin,
                relationship,
                partners,
                agents,
                agent,
                contact,
                agreed,
                offers,
            )
            refresh_agreement_status(customer)
            created.append(customer)
        return created

    def apply_state(
        self, spec, customer, admin, relationship, partners, agents, agent, contact, agreed, offers
    ):
        partner = relationship.partner
        if spec.state == "attested":
            self.attest_on_web(customer, partner, agent, contact, agreed)
            self.order(customer, partner, agent, [offers[ProductType.LICENSE]])
        elif spec.state == "provider_attested":
            record_acceptance(
                customer=customer,
                partner=partners["fabrikam"],
                recorded_by=agents["fabrikam_admin"],
                method=AcceptanceMethod.PARTNER_ATTESTATION,
                channel=Channel.API,
                contact=contact,
                date_agreed=agreed,
                ip_address="192.0.2.20",
                user_agent="demo",
            )
        elif spec.state == "accepted":
            invitation = self.invitation(partner, customer, agent, InvitationKind.EXISTING_CUSTOMER)
            record_acceptance(
                customer=customer,
                partner=partner,
                recorded_by=admin,
                method=AcceptanceMethod.DIRECT_ACCEPTANCE,
                channel=Channel.INVITATION,
                contact=Contact(admin.first_name, admin.last_name, admin.email),
                date_agreed=agreed,
                ip_address="198.51.100.7",
                user_agent="demo",
            )
            Invitation.objects.filter(pk=invitation.pk).update(
                status=InvitationStatus.ACCEPTED,
                accepted_at=timezone.now(),
                accepted_by=admin,
                opened_at=timezone.now(),
            )
        elif spec.state == "invited":
            self.invitation(partner, customer, agent, InvitationKind.NEW_CUSTOMER)
        elif spec.state == "expired":
            invitation = self.invitation(partner, customer, agent, InvitationKind.NEW_CUSTOMER)
            sent = timezone.now() - datetime.timedelta(days=40)
            Invitation.objects.filter(pk=invitation.pk).update(
                created_at=sent, sent_at=sent, expires_at=sent + datetime.timedelta(days=30)
            )
        elif spec.state == "revoked":
            invitation = self.invitation(partner, customer, agent, InvitationKind.EXISTING_CUSTOMER)
            Invitation.objects.filter(pk=invitation.pk).update(
                status=InvitationStatus.REVOKED, revoked_at=timezone.now()
            )
        elif spec.state == "renewed":
            long_ago = timezone.localdate() - datetime.timedelta(days=400)
            self.attest_on_web(customer, partner, agent, contact, long_ago)
            order = self.order(
                customer, partner, agent, [offers[ProductType.SOFTWARE_SUBSCRIPTION]], days_ago=370
            )
            renew_due_order(order.pk, timezone.localdate())
        elif spec.state == "asked":
            from agreements.models import AttestationRequest

            AttestationRequest.objects.create(
                customer=customer, reseller=partner, provider=partner.provider, requested_by=agent
            )
        elif spec.state == "blocked_d1":
            # Scenario 1: earlier purchases through this very partner.
            self.order(
                customer,
                partner,
                agent,
                [offers[ProductType.SOFTWARE_SUBSCRIPTION], offers[ProductType.AZURE_PLAN]],
                days_ago=500,
            )
            self.block(self.invitation(partner, customer, agent, InvitationKind.EXISTING_CUSTOMER))
        elif spec.state == "blocked_d2":
            # Scenario 2: earlier purchases through another partner (Litware), and now a
            # new reseller relationship with Contoso that the customer may still accept.
            litware = partners["litware"]
            Relationship.objects.create(
                partner=litware, customer=customer, activated_at=timezone.now()
            )
            self.order(
                customer,
                litware,
                agents["litware_admin"],
                [offers[ProductType.RESERVED_INSTANCE]],
                days_ago=300,
            )
            Relationship.objects.filter(pk=relationship.pk).update(
                status=RelationshipStatus.PENDING, activated_at=None
            )
            self.block(
                self.invitation(partner, customer, agent, InvitationKind.RESELLER_RELATIONSHIP)
            )

    def attest_on_web(self, customer, partner, agent, contact, agreed) -> None:
        record_acceptance(
            customer=customer,
            partner=partner,
            recorded_by=agent,
            method=AcceptanceMethod.PARTNER_ATTESTATION,
            channel=Channel.WEB,
            contact=contact,
            date_agreed=agreed,
            ip_address="192.0.2.10",
            user_agent="demo",
        )

    def invitation(self, partner, customer, agent, kind) -> Invitation:
        return Invitation.objects.create(
            partner=partner,
            customer=customer,
            kind=kind,
            token_hash=hash_token(new_token()),
            created_by=agent,
            expires_at=timezone.now() + datetime.timedelta(days=30),
            email_to=customer.contact_email,
            sent_at=timezone.now(),
        )

    def fresh_invitation_links(self) -> list[tuple[Invitation, str]]:
        """A working link for each open demo invitation, new on every run.

        Only a token's hash is ever stored, so the demo can't print an earlier run's link;
        it gives each open invitation a new token instead (what *Resend* does, minus the
        replacement row). A link accepted in an earlier walk is no longer open and is skipped.
        """
        links = []
        demo_domains = [f"{spec.slug}.onmicrosoft.com" for spec in CUSTOMERS]
        for invitation in (
            Invitation.objects.live()
            .filter(customer__domain__in=demo_domains)
            .select_related("customer", "partner")
            .order_by("customer__company_name")
        ):
            token = new_token()
            Invitation.objects.filter(pk=invitation.pk).update(token_hash=hash_token(token))
            links.append((invitation, invitation_link(token)))
        return links

    def block(self, invitation: Invitation) -> None:
        now = timezone.now()
        Invitation.objects.filter(pk=invitation.pk).update(
            status=InvitationStatus.BLOCKED, blocked_at=now, opened_at=now
        )

    def order(self, customer, partner, agent, offers, days_ago=30) -> Order:
        placed = timezone.now() - datetime.timedelta(days=days_ago)
        order = Order.objects.create(
            customer=customer,
            partner=partner,
            placed_by=agent,
            placed_at=placed,
            renewal_due=(placed + datetime.timedelta(days=365)).date(),
        )
        for offer in offers:
            OrderLine.objects.create(
                order=order, offer=offer, quantity=5, unit_price=offer.unit_price
            )
        return order

    def report(self, created: list[Customer], links: list[tuple[Invitation, str]]) -> None:
        out = self.stdout
        out.write(
            self.style.SUCCESS(
                f"Demo data ready ({len(created)} customers added, {Customer.objects.count()} in all)."
            )
        )
        out.write(f"Every demo account's password: {DEMO_PASSWORD}")
        out.write("Partner agents sign in at /login/:")
        for email in (
            "admin@contoso.example (admin agent)",
            "sales@contoso.example (sales agent)",
            "helpdesk@contoso.example (helpdesk agent)",
            "billing@contoso.example (billing admin)",
            "admin@fabrikam.example (indirect provider)",
            "sales@northwind.example (indirect reseller)",
            "admin@litware.example (another direct-bill partner)",
        ):
            out.write(f"  {email}")
        out.write("Customer admins sign in at /admin-center/login/, e.g.:")
        out.write("  admin@zeleninasvoboda.onmicrosoft.com (invited by Contoso)")
        out.write("  admin@tiskarnacerny.onmicrosoft.com (blocked: scenario 1)")
        out.write("  admin@proseware.onmicrosoft.com (blocked: scenario 2)")
        out.write("Operators sign in at /admin/: operator@mca-portal.example")
        if links:
            out.write("Open invitations (new links on every run; sign in as admin@<domain>):")
            for invitation, link in links:
                out.write(f"  {invitation.customer.domain} from {invitation.partner.name}: {link}")
