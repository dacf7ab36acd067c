"""factory-boy factories for every model. Passwords are hashed for real, once."""

from __future__ import annotations

import datetime
import functools

import factory
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.utils import timezone

from agreements.models import (
    Acceptance,
    AcceptanceMethod,
    AgreementDocument,
    AgreementTemplate,
    Channel,
    EvidenceChainHead,
)
from agreements.services import Contact, record_acceptance
from agreements.signing import canonical_json, current_signing_key, sha256_hex
from customers.models import Customer, Relationship
from invitations.models import Invitation, InvitationKind
from orders.models import Offer, Order, OrderLine, ProductType
from portal.hashing import hash_token, new_token
from portal.models import Partner, PartnerKind, Role, User

PASSWORD = "Correct-Horse-Battery-9"


@functools.cache
def password_hash() -> str:
    return make_password(PASSWORD)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n}")
    partner_id = factory.Sequence(lambda n: f"{5000000 + n}")
    kind = PartnerKind.DIRECT_BILL
    country = "CZ"


class ProviderFactory(PartnerFactory):
    kind = PartnerKind.INDIRECT_PROVIDER


class ResellerFactory(PartnerFactory):
    kind = PartnerKind.INDIRECT_RESELLER
    provider = factory.SubFactory(ProviderFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = "Alice"
    last_name = "Agent"
    password = factory.LazyFunction(password_hash)


class AgentFactory(UserFactory):
    partner = factory.SubFactory(PartnerFactory)
    role = Role.ADMIN_AGENT


class OperatorFactory(UserFactory):
    is_staff = True
    is_superuser = True


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    company_name = factory.Sequence(lambda n: f"Customer {n} s.r.o.")
    domain = factory.Sequence(lambda n: f"customer{n}.onmicrosoft.com")
    country = "CZ"
    address_line1 = "Václavské náměstí 1"
    city = "Praha"
    postal_code = "110 00"
    language = "cs"
    contact_first_name = "Jana"
    contact_last_name = "Nováková"
    contact_email = factory.Sequence(lambda n: f"jana{n}@example.cz")
    contact_phone = "+420601123456"


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    partner = factory.SubFactory(PartnerFactory)
    customer = factory.SubFactory(CustomerFactory)
    activated_at = factory.LazyFunction(timezone.now)


class CustomerAdminFactory(UserFactory):
    customer = factory.SubFactory(CustomerFactory)
    email = factory.LazyAttribute(lambda o: f"admin@{o.customer.domain}")
    first_name = "Jana"
    last_name = "Nováková"


class AgreementTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementTemplate

    version_rank = factory.Sequence(lambda n: n + 1)
    title = "Microsoft Customer Agreement"
    # Long published, so any date a test agrees on is on or after it (a record is true to
    # its version); tests of publication dates set their own.
    published_on = datetime.date(2020, 1, 1)


class AgreementDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementDocument

    template = factory.SubFactory(AgreementTemplateFactory)
    country = "CZ"
    language = "cs-CZ"
    content_type = "text/plain; charset=utf-8"
    file = factory.LazyAttribute(
        lambda o: ContentFile(
            f"SAMPLE agreement text for tests, {o.country} {o.language}.\n".encode(), name="mca.txt"
        )
    )


def attest(
    customer,
    agent,
    *,
    date_agreed=None,
    first_name="Jana",
    last_name="Nováková",
    email="jana@example.cz",
    phone="",
    channel=Channel.WEB,
    partner=None,
):
    """Record a partner attestation through the real service."""
    return record_acceptance(
        customer=customer,
        partner=partner or agent.partner,
        recorded_by=agent,
        method=AcceptanceMethod.PARTNER_ATTESTATION,
        channel=channel,
        contact=Contact(first_name, last_name, email, phone),
        date_agreed=date_agreed or timezone.localdate() - datetime.timedelta(days=1),
    )


def attest_many(customer, agent, count: int) -> list[Acceptance]:
    """``count`` attestations, oldest first, named Record0001… The first goes through the real
    service; the rest are chained, hashed and signed as it does, but inserted at once: one at
    a time it takes ~15 ms a record, and a long history is what some tests need."""
    first = attest(customer, agent, first_name="Record0001")
    key = current_signing_key()
    head = EvidenceChainHead.objects.get(pk=1)
    previous, sequence = head.last_hash, head.count
    rows = []
    for number in range(2, count + 1):
        row = Acceptance(
            customer=customer,
            template=first.template,
            method=first.method,
            first_name=f"Record{number:04d}",
            last_name=first.last_name,
            email=first.email,
            phone=first.phone,
            date_agreed=first.date_agreed,
            partner=first.partner,
            recorded_by=agent,
            channel=first.channel,
            recorded_at=first.recorded_at + datetime.timedelta(seconds=number),
            document_sha256=first.document_sha256,
            previous_hash=previous,
            sequence=sequence + 1,
        )
        statement = canonical_json(row.statement_data())
        row.statement, row.chain_hash = statement.decode(), sha256_hex(statement)
        signature = key.sign(statement)
        row.key_id, row.signature = signature.key_id, signature.value
        previous, sequence = row.chain_hash, row.sequence
        rows.append(row)
    # Acceptance.objects refuses bulk inserts (the service is the one writer); the base
    # manager is a plain one.
    Acceptance._base_manager.bulk_create(rows)
    EvidenceChainHead.objects.filter(pk=1).update(last_hash=previous, count=sequence)
    return [first, *rows]


def accept_directly(customer, customer_admin, partner, *, date_agreed=None):
    return record_acceptance(
        customer=customer,
        partner=partner,
        recorded_by=customer_admin,
        method=AcceptanceMethod.DIRECT_ACCEPTANCE,
        channel=Channel.INVITATION,
        contact=Contact(customer_admin.first_name, customer_admin.last_name, customer_admin.email),
        date_agreed=date_agreed or timezone.localdate(),
    )


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    partner = factory.SubFactory(PartnerFactory)
    customer = factory.SubFactory(CustomerFactory)
    kind = InvitationKind.EXISTING_CUSTOMER
    token_hash = factory.LazyFunction(lambda: hash_token(new_token()))
    created_by = factory.SubFactory(AgentFactory, partner=factory.SelfAttribute("..partner"))
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    offer_id = factory.Sequence(lambda n: f"OFFER-{n:04d}")
    name = factory.Sequence(lambda n: f"Offer {n}")
    product_type = ProductType.LICENSE
    unit_price = "10.00"
    countries = ["CZ", "US", "DE", "GB"]


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    customer = factory.SubFactory(CustomerFactory)
    partner = factory.SubFactory(PartnerFactory)


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    offer = factory.SubFactory(OfferFactory)
    quantity = 1
    unit_price = "10.00"
