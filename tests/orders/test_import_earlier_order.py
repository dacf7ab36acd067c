"""import_earlier_order: a purchase made before the portal kept acceptance needs no gate, and it
is what blocks a direct acceptance later (R6, scenario D1)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from invitations.models import InvitationKind
from invitations.services import acceptance_block, create_invitation
from orders.models import Order
from orders.services import import_earlier_order, order_gate

pytestmark = pytest.mark.django_db

A_YEAR_AGO = timezone.now() - datetime.timedelta(days=400)


def test_an_earlier_purchase_is_imported_without_the_gate(acme, contoso, sam, licence):
    assert not order_gate(acme, contoso).allowed
    order = import_earlier_order(
        customer=acme, partner=contoso, placed_by=sam, lines=[(licence, 2)], placed_at=A_YEAR_AGO
    )
    assert order.placed_at == A_YEAR_AGO
    assert not order.is_auto_renewal
    assert order.lines.get().quantity == 2
    # Still no new order: the gate counts acceptances, not purchases.
    assert not order_gate(acme, contoso).allowed


def test_the_earlier_purchase_blocks_a_direct_acceptance(acme, contoso, sam, licence):
    import_earlier_order(
        customer=acme, partner=contoso, placed_by=sam, lines=[(licence, 1)], placed_at=A_YEAR_AGO
    )
    invitation, _link = create_invitation(
        partner=contoso, customer=acme, kind=InvitationKind.EXISTING_CUSTOMER, created_by=sam
    )
    assert acceptance_block(invitation).blocked


def test_bad_lines_import_nothing(acme, contoso, sam, licence):
    with pytest.raises(ValidationError):
        import_earlier_order(
            customer=acme, partner=contoso, placed_by=sam, lines=[(licence, 0)], placed_at=A_YEAR_AGO
        )
    assert not Order.objects.exists()
