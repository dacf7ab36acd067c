import pytest
from django.db import IntegrityError, transaction

from portal.models import PartnerKind, Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_user_cannot_be_both_agent_and_customer_admin(contoso, acme):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.UserFactory(partner=contoso, role=Role.SALES_AGENT, customer=acme)


def test_an_agent_needs_a_role(contoso):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.UserFactory(partner=contoso, role="")


def test_a_role_without_a_partner_is_refused(acme):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.UserFactory(customer=acme, role=Role.ADMIN_AGENT)


def test_agents_customer_admins_and_operators_are_all_valid(contoso, acme):
    f.AgentFactory(partner=contoso)
    f.CustomerAdminFactory(customer=acme)
    f.OperatorFactory()


def test_customer_domains_are_unique(acme):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.CustomerFactory(domain=acme.domain)


def test_a_partner_has_one_relationship_per_customer(contoso, acme):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.RelationshipFactory(partner=contoso, customer=acme)


def test_an_indirect_reseller_needs_a_provider(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.PartnerFactory(kind=PartnerKind.INDIRECT_RESELLER, provider=None)


def test_a_direct_bill_partner_has_no_provider(fabrikam):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.PartnerFactory(kind=PartnerKind.DIRECT_BILL, provider=fabrikam)


def test_document_sha256_is_computed_from_the_stored_bytes(db):
    import hashlib

    document = f.AgreementDocumentFactory()
    with document.file.open("rb") as handle:
        assert document.sha256 == hashlib.sha256(handle.read()).hexdigest()
