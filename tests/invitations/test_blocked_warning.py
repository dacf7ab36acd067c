"""Issue 16: inviting a customer R6 is known to block (it has bought before) warns first; the
invitation goes out only when the agent confirms."""

import pytest

from customers.models import Relationship, RelationshipStatus
from invitations.models import Invitation, InvitationKind
from tests import factories as f


@pytest.fixture
def bought_before(acme, contoso):
    """D1: Acme bought through Contoso itself."""
    order = f.OrderFactory(customer=acme, partner=contoso)
    f.OrderLineFactory(order=order)
    return acme


def invite(client, customer, **extra):
    return client.post(
        f"/invitations/customers/{customer.tenant_id}/", {"kind": "existing_customer", **extra}
    )


def test_inviting_a_customer_that_bought_before_warns_first(client, sam, bought_before):
    client.force_login(sam)
    response = invite(client, bought_before)
    assert response.status_code == 409
    assert "data-blocked-warning" in response.text
    assert "Acme s.r.o. has bought before" in response.text
    assert f'href="/customers/{bought_before.tenant_id}/agreement/update/"' in response.text
    assert 'name="blocked_ok" value="yes"' in response.text
    assert 'name="kind" value="existing_customer"' in response.text
    assert not Invitation.objects.exists()


def test_confirming_sends_it(client, sam, bought_before):
    client.force_login(sam)
    response = invite(client, bought_before, blocked_ok="yes")
    assert response.status_code == 302
    assert Invitation.objects.filter(customer=bought_before).count() == 1


def test_a_customer_without_purchases_is_invited_without_a_warning(client, sam, acme):
    client.force_login(sam)
    assert invite(client, acme).status_code == 302


def test_d2_warns_that_only_the_relationship_can_be_accepted(client, sam, acme, litware):
    """D2: the purchases went through another partner; a relationship request can still be
    accepted, the agreement not."""
    Relationship.objects.filter(customer=acme).update(status=RelationshipStatus.PENDING)
    order = f.OrderFactory(customer=acme, partner=litware)
    f.OrderLineFactory(order=order)
    client.force_login(sam)
    response = client.post(
        "/invitations/request/", {"which": "existing", "existing-domain": acme.domain}
    )
    assert response.status_code == 409
    assert "can accept your reseller relationship" in response.text
    assert 'name="existing-domain" value="acme.onmicrosoft.com"' in response.text
    confirmed = client.post(
        "/invitations/request/",
        {"which": "existing", "existing-domain": acme.domain, "blocked_ok": "yes"},
    )
    assert confirmed.status_code == 302
    assert Invitation.objects.get().kind == InvitationKind.RESELLER_RELATIONSHIP


def test_resending_to_a_customer_that_bought_meanwhile_warns_too(client, sam, acme, contoso):
    invitation = f.InvitationFactory(partner=contoso, customer=acme, created_by=sam)
    order = f.OrderFactory(customer=acme, partner=contoso)
    f.OrderLineFactory(order=order)
    client.force_login(sam)
    response = client.post(f"/invitations/{invitation.public_id}/resend/")
    assert response.status_code == 409
    assert "data-blocked-warning" in response.text
    assert Invitation.objects.count() == 1
    confirmed = client.post(f"/invitations/{invitation.public_id}/resend/", {"blocked_ok": "yes"})
    assert confirmed.status_code == 302
    assert Invitation.objects.count() == 2


def test_anything_but_yes_is_no_confirmation(client, sam, bought_before):
    client.force_login(sam)
    assert invite(client, bought_before, blocked_ok="1").status_code == 409
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_read_only_agents_cannot_confirm(request, client, persona, bought_before):
    client.force_login(request.getfixturevalue(persona))
    assert invite(client, bought_before, blocked_ok="yes").status_code == 403
    assert not Invitation.objects.exists()


def test_another_partner_cannot_confirm(client, lisa, bought_before):
    client.force_login(lisa)
    assert invite(client, bought_before, blocked_ok="yes").status_code == 404
    assert not Invitation.objects.exists()


def test_a_tenant_of_another_partner_that_bought_there_warns_and_keeps_the_recipient(
    client, sam, globex, litware
):
    """B2 to a tenant that isn't Contoso's customer (issue 16's other helper): the warning
    re-posts the domain and the address the agent named, and offers no Account info link."""
    order = f.OrderFactory(customer=globex, partner=litware)
    f.OrderLineFactory(order=order)
    client.force_login(sam)
    data = {
        "which": "existing",
        "existing-domain": globex.domain,
        "existing-recipient_email": "it@globex.example",
    }
    response = client.post("/invitations/request/", data)
    assert response.status_code == 409
    assert 'name="existing-recipient_email" value="it@globex.example"' in response.text
    assert f"/customers/{globex.tenant_id}/" not in response.text
    confirmed = client.post("/invitations/request/", {**data, "blocked_ok": "yes"})
    assert confirmed.status_code == 302
    assert Invitation.objects.get(customer=globex).email_to == "it@globex.example"
