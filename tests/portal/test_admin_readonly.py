"""Operators read invitations and relationships in the admin; services alone change them."""

import pytest
from django.urls import reverse

from customers.models import Relationship
from invitations.models import Invitation, InvitationStatus
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(contoso, acme):
    return f.InvitationFactory(partner=contoso, customer=acme)


def test_the_operator_views_and_filters_invitations(client, operator, invitation):
    client.force_login(operator)
    changelist = reverse("admin:invitations_invitation_changelist")
    listed = client.get(changelist, {"status__exact": InvitationStatus.PENDING})
    assert listed.status_code == 200
    assert "Acme s.r.o." in listed.content.decode()
    assert "Acme s.r.o." not in client.get(changelist, {"status__exact": "accepted"}).text
    page = client.get(reverse("admin:invitations_invitation_change", args=[invitation.pk]))
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()


def test_the_operator_cannot_set_an_invitation_status(client, operator, invitation):
    client.force_login(operator)
    response = client.post(
        reverse("admin:invitations_invitation_change", args=[invitation.pk]),
        {"status": InvitationStatus.ACCEPTED, "expires_at_0": "2030-01-01"},
    )
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING
    assert invitation.accepted_at is None


def test_the_operator_cannot_add_or_delete_invitations(client, operator, invitation):
    client.force_login(operator)
    assert client.get(reverse("admin:invitations_invitation_add")).status_code == 403
    delete_url = reverse("admin:invitations_invitation_delete", args=[invitation.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:invitations_invitation_changelist")
    client.post(changelist, {"action": "delete_selected", "_selected_action": [invitation.pk]})
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_the_operator_cannot_delete_a_relationship(client, operator, acme):
    relationship = Relationship.objects.get(customer=acme)
    client.force_login(operator)
    delete_url = reverse("admin:customers_relationship_delete", args=[relationship.pk])
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:customers_relationship_changelist")
    assert "delete_selected" not in client.get(changelist).content.decode()
    client.post(changelist, {"action": "delete_selected", "_selected_action": [relationship.pk]})
    assert Relationship.objects.filter(pk=relationship.pk).exists()


def test_the_customer_form_shows_its_relationships_read_only(client, operator, acme, contoso):
    """Listed for reading; no way to delete, move or activate one from here."""
    client.force_login(operator)
    page = client.get(reverse("admin:customers_customer_change", args=[acme.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert contoso.name in html
    for name in ("relationships-0-partner", "relationships-0-status", "relationships-0-DELETE"):
        assert f'name="{name}"' not in html


def test_the_operator_cannot_activate_a_pending_relationship(client, operator, acme):
    """Activation is the customer's acceptance (or the partner creating the customer)."""
    from customers.models import RelationshipStatus

    relationship = Relationship.objects.get(customer=acme)
    Relationship.objects.filter(pk=relationship.pk).update(status=RelationshipStatus.PENDING)
    client.force_login(operator)
    response = client.post(
        reverse("admin:customers_relationship_change", args=[relationship.pk]),
        {"status": RelationshipStatus.ACTIVE},
    )
    assert response.status_code == 403
    relationship.refresh_from_db()
    assert relationship.status == RelationshipStatus.PENDING


def test_the_user_list_heads_the_name_column_in_words(client, operator, alice):
    client.force_login(operator)
    page = client.get(reverse("admin:portal_user_changelist"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Full name" in html
    assert "Get full name" not in html
    assert "Alice" in html


def test_the_operator_reads_orders_but_cannot_add_change_or_delete_them(
    client, operator, acme, contoso, sam
):
    """Orders go through the gate, and earlier purchases decide D1/D2: the admin only reads."""
    from orders.models import Order

    order = f.OrderFactory(customer=acme, partner=contoso, placed_by=sam)
    f.OrderLineFactory(order=order)
    client.force_login(operator)
    change = reverse("admin:orders_order_change", args=[order.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert 'name="is_auto_renewal"' not in page.text
    response = client.post(change, {"is_auto_renewal": "on"})
    assert response.status_code == 403
    assert client.get(reverse("admin:orders_order_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:orders_order_delete", args=[order.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    order.refresh_from_db()
    assert not order.is_auto_renewal
    assert Order.objects.filter(pk=order.pk).exists()


def test_the_operator_cannot_delete_api_tokens_or_attestation_requests(
    client, operator, alice, nora, initech
):
    from agreements.models import AttestationRequest
    from agreements.services import request_attestation
    from portal.models import ApiToken

    token, _secret = ApiToken.issue(user=alice, name="script")
    asked = request_attestation(customer=initech, reseller=nora.partner, requested_by=nora)
    client.force_login(operator)
    for name, pk in (
        ("admin:portal_apitoken_delete", token.pk),
        ("admin:agreements_attestationrequest_delete", asked.pk),
    ):
        assert client.post(reverse(name, args=[pk]), {"post": "yes"}).status_code == 403
    assert ApiToken.objects.filter(pk=token.pk).exists()
    assert AttestationRequest.objects.filter(pk=asked.pk).exists()


def test_the_relationship_filter_reads_the_status_against_the_clock(client, operator, acme):
    """An invitation that has lapsed (or vanished) leaves nothing on record in the admin too."""
    import datetime

    from django.utils import timezone

    from customers.models import AgreementStatus

    Relationship.objects.filter(customer=acme).update(
        agreement_status=AgreementStatus.INVITED,
        invited_until=timezone.now() - datetime.timedelta(days=1),
    )
    client.force_login(operator)
    changelist = reverse("admin:customers_relationship_changelist")
    assert "Acme s.r.o." not in client.get(changelist, {"agreement": "invited"}).text
    assert "Acme s.r.o." in client.get(changelist, {"agreement": "none"}).text
    Relationship.objects.filter(customer=acme).update(invited_until=None)
    assert "Acme s.r.o." in client.get(changelist, {"agreement": "none"}).text


def test_an_existing_relationship_never_changes_hands_in_the_admin(client, operator, acme):
    relationship = Relationship.objects.get(customer=acme)
    client.force_login(operator)
    page = client.get(reverse("admin:customers_relationship_change", args=[relationship.pk]))
    assert 'name="customer"' not in page.text and 'name="partner"' not in page.text
