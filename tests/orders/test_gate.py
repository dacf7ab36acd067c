"""R5: the gate's truth table, and that it answers in one query."""

from __future__ import annotations

import pytest

from customers.models import RelationshipStatus
from customers.status import refresh_agreement_status
from orders.services import order_gate
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_order_waits_for_acceptance(acme, contoso):
    decision = order_gate(acme, contoso)
    assert not decision.allowed
    assert decision.needs_acceptance
    assert "Acme s.r.o." in decision.reason
    assert "Contoso Partner" in decision.unblock_hint


def test_own_attestation_opens_the_gate(acme, contoso, sam):
    f.attest(acme, sam)
    decision = order_gate(acme, contoso)
    assert decision.allowed
    assert not decision.needs_acceptance


def test_providers_attestation_counts_for_its_resellers_customer(initech, northwind, frank):
    f.attest(initech, frank)
    assert order_gate(initech, northwind).allowed


def test_reseller_without_acceptance_is_told_its_provider_unblocks(initech, northwind, fabrikam):
    decision = order_gate(initech, northwind)
    assert not decision.allowed
    assert "Fabrikam Distribution" in decision.unblock_hint


def test_another_partners_attestation_does_not_count(acme, contoso, litware, lisa):
    f.RelationshipFactory(partner=litware, customer=acme)
    f.attest(acme, lisa)
    assert order_gate(acme, litware).allowed
    assert not order_gate(acme, contoso).allowed


def test_direct_acceptance_through_this_partner_opens_the_gate(acme, contoso, acme_admin):
    f.accept_directly(acme, acme_admin, contoso)
    assert order_gate(acme, contoso).allowed


def test_direct_acceptance_through_another_partner_only_does_not_count(
    acme, contoso, litware, acme_admin
):
    f.RelationshipFactory(partner=litware, customer=acme)
    f.accept_directly(acme, acme_admin, litware)
    assert not order_gate(acme, contoso).allowed


def test_auto_renewal_needs_nothing_on_record(acme, contoso, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert order_gate(acme, contoso, auto_renewal=True).allowed


def test_a_pending_relationship_keeps_the_gate_closed(acme, contoso, sam):
    f.attest(acme, sam)
    acme.relationships.update(status=RelationshipStatus.PENDING)
    decision = order_gate(acme, contoso)
    assert not decision.allowed
    assert not decision.needs_acceptance


def test_a_partner_without_relationship_is_refused(globex, contoso):
    decision = order_gate(globex, contoso)
    assert not decision.allowed
    assert "not a customer" in decision.reason


def test_a_blocked_customer_is_explained(acme, contoso):
    f.InvitationFactory(partner=contoso, customer=acme, status="blocked")
    refresh_agreement_status(acme)
    decision = order_gate(acme, contoso)
    assert not decision.allowed
    assert "can't accept the Microsoft Customer Agreement directly" in decision.reason


def test_the_gate_answers_in_one_query(acme, contoso, sam, django_assert_num_queries):
    with django_assert_num_queries(1):
        order_gate(acme, contoso)
    f.attest(acme, sam)
    with django_assert_num_queries(1):
        order_gate(acme, contoso)
