import pytest
from django.http import Http404

from customers import selectors
from portal import permissions as p
from portal.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

# role -> (attest, invite, create customer, order, manage agents) for a direct-bill partner
DIRECT = {
    Role.ADMIN_AGENT: (True, True, True, True, True),
    Role.SALES_AGENT: (True, True, True, True, False),
    Role.HELPDESK_AGENT: (False, False, False, False, False),
    Role.BILLING_ADMIN: (False, False, False, False, False),
}


def verdicts(user):
    return (
        p.can_attest(user),
        p.can_invite(user),
        p.can_create_customer(user),
        p.can_order(user),
        p.can_manage_agents(user),
    )


@pytest.mark.parametrize("role", list(Role))
def test_direct_bill_roles(contoso, role):
    assert verdicts(f.AgentFactory(partner=contoso, role=role)) == DIRECT[role]


@pytest.mark.parametrize("role", list(Role))
def test_indirect_provider_roles_match_direct_bill(fabrikam, role):
    assert verdicts(f.AgentFactory(partner=fabrikam, role=role)) == DIRECT[role]


@pytest.mark.parametrize("role", list(Role))
def test_indirect_reseller_never_attests_or_orders(northwind, role):
    user = f.AgentFactory(partner=northwind, role=role)
    attest, invite, create, order, manage = verdicts(user)
    assert attest is False
    assert order is False
    assert invite == DIRECT[role][1]
    assert create == DIRECT[role][2]
    assert manage == DIRECT[role][4]
    assert p.can_request_attestation(user) == DIRECT[role][1]


def test_customer_admins_and_operators_may_do_nothing_as_agents(acme_admin, operator):
    for user in (acme_admin, operator):
        assert verdicts(user) == (False,) * 5
        assert selectors.customers_for(user).count() == 0


def test_an_agent_sees_only_its_partners_customers(alice, acme, globex):
    assert list(selectors.customers_for(alice)) == [acme]
    assert selectors.can_view_customer(alice, acme)
    assert not selectors.can_view_customer(alice, globex)


def test_a_provider_also_sees_its_resellers_customers(frank, nora, initech, acme):
    assert list(selectors.customers_for(frank)) == [initech]
    assert list(selectors.customers_for(nora)) == [initech]
    relationship = selectors.get_relationship_for(frank, initech.tenant_id)
    assert relationship.partner.name == "Northwind Reseller"


def test_the_scoped_lookup_answers_404_for_another_partners_customer(alice, globex, lisa):
    with pytest.raises(Http404):
        selectors.get_customer_for(alice, globex.tenant_id)
    assert selectors.get_customer_for(lisa, globex.tenant_id) == globex


def test_the_scoped_lookup_answers_404_for_an_unknown_tenant(alice, acme):
    import uuid

    with pytest.raises(Http404):
        selectors.get_customer_for(alice, uuid.uuid4())


def test_the_scoped_lookup_prefers_a_partners_own_relationship(frank, fabrikam, initech):
    f.RelationshipFactory(partner=fabrikam, customer=initech)
    assert selectors.get_relationship_for(frank, initech.tenant_id).partner == fabrikam


def test_acting_on_a_customer_goes_through_the_scoped_lookup(alice, acme, globex):
    # The role predicates judge the agent; the lookup decides which customers it reaches.
    assert p.can_attest(alice) and selectors.get_relationship_for(alice, acme.tenant_id)
    assert p.can_invite(alice) and p.can_order(alice)
    with pytest.raises(Http404):
        selectors.get_relationship_for(alice, globex.tenant_id)


def test_the_lookup_says_whether_the_agent_acts_on_its_own_relationship(
    frank, nora, fabrikam, initech
):
    assert selectors.get_relationship_for(nora, initech.tenant_id).is_own
    # A provider reads its reseller's customer, but the relationship is the reseller's.
    assert not selectors.get_relationship_for(frank, initech.tenant_id).is_own
    f.RelationshipFactory(partner=fabrikam, customer=initech)
    assert selectors.get_relationship_for(frank, initech.tenant_id).is_own


def test_the_scoped_lookup_is_one_query(alice, acme, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.get_relationship_for(alice, acme.tenant_id)
