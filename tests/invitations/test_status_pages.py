"""The customer page and the Invitations list show each invitation's status with its dates."""

import datetime

import pytest
from django.utils import timezone

from invitations.models import Invitation, InvitationStatus
from tests import factories as f


def contoso_customer(sam, name):
    customer = f.CustomerFactory(company_name=name)
    f.RelationshipFactory(partner=sam.partner, customer=customer)
    return customer


@pytest.fixture
def statuses(acme, sam):
    """One invitation in every status, newest last; the open ones (pending, opened, and the
    expired one, still pending in the database) each on its own customer, as the database
    allows one open invitation per partner and customer."""
    made = {}
    for status in ("pending", "opened", "accepted", "blocked", "revoked"):
        made[status] = f.InvitationFactory(
            partner=sam.partner,
            customer=contoso_customer(sam, "Opened Ltd") if status == "opened" else acme,
            created_by=sam,
            status=status,
            opened_at=timezone.now() if status != "pending" else None,
        )
    made["expired"] = f.InvitationFactory(
        partner=sam.partner,
        customer=contoso_customer(sam, "Expired Ltd"),
        created_by=sam,
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )
    return made


def test_the_invitations_list_shows_every_status(client, sam, statuses):
    client.force_login(sam)
    page = client.get("/invitations/")
    assert page.status_code == 200
    for label in (
        "Pending",
        "Opened",
        "Accepted",
        "Blocked — partner must attest",
        "Revoked",
        "Expired",
    ):
        assert f">{label}</span>" in page.text


def test_the_customer_page_shows_the_invitations_with_dates(client, sam, statuses, acme):
    client.force_login(sam)
    page = client.get(f"/customers/{acme.tenant_id}/")
    assert 'id="invitations-heading"' in page.text
    expired = client.get(f"/customers/{statuses['expired'].customer.tenant_id}/")
    assert ">Expired</span>" in expired.text
    assert "Opened: " in page.text
    assert "Created: " in page.text


def test_the_customer_page_offers_resend_and_revoke_to_sales(client, sam, acme, statuses):
    client.force_login(sam)
    page = client.get(f"/customers/{acme.tenant_id}/").text
    assert f"/invitations/{statuses['pending'].public_id}/revoke/" in page
    assert f"/invitations/{statuses['pending'].public_id}/resend/" in page
    assert f"/invitations/{statuses['accepted'].public_id}/resend/" not in page
    assert "Invite to accept the agreement" in page


def test_helpdesk_reads_statuses_without_actions(client, hana, acme, statuses):
    client.force_login(hana)
    page = client.get(f"/customers/{acme.tenant_id}/").text
    assert ">Pending</span>" in page
    assert "/revoke/" not in page
    assert "Invite to accept the agreement" not in page


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_helpdesk_and_billing_do_not_get_the_invitations_list(request, client, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/invitations/").status_code == 403


def test_the_list_holds_only_this_partners_invitations(client, lisa, statuses):
    client.force_login(lisa)
    page = client.get("/invitations/")
    assert "Acme" not in page.text


def test_a_provider_reads_its_resellers_invitations_on_the_customer_page(
    client, frank, nora, initech
):
    f.InvitationFactory(partner=nora.partner, customer=initech, created_by=nora)
    client.force_login(frank)
    page = client.get(f"/customers/{initech.tenant_id}/").text
    assert ">Pending</span>" in page
    assert "/revoke/" not in page


def test_a_pending_relationship_offers_the_relationship_request(client, sam, acme):
    from customers.models import Relationship, RelationshipStatus

    Relationship.objects.filter(customer=acme).update(status=RelationshipStatus.PENDING)
    client.force_login(sam)
    page = client.get(f"/customers/{acme.tenant_id}/").text
    assert 'value="reseller_relationship"' in page


def test_the_panel_holds_at_most_ten_rows_and_links_to_the_rest(client, sam, acme):
    for _ in range(12):
        f.InvitationFactory(
            partner=sam.partner, customer=acme, created_by=sam, status=InvitationStatus.REVOKED
        )
    client.force_login(sam)
    page = client.get(f"/customers/{acme.tenant_id}/").text
    panel = page.split('id="invitations-heading"', 1)[1]
    assert panel.count(">Revoked</span>") == 10
    assert 'href="/invitations/">All invitations' in panel
    assert Invitation.objects.count() == 12


@pytest.mark.parametrize(
    ("status", "label"),
    [
        ("pending", "Pending"),
        ("opened", "Opened"),
        ("accepted", "Accepted"),
        ("blocked", "Blocked — partner must attest"),
        ("revoked", "Revoked"),
        ("expired", "Expired"),
    ],
)
def test_the_list_filters_by_status(client, sam, statuses, status, label):
    client.force_login(sam)
    page = client.get(f"/invitations/?status={status}").text
    table = page.split("<tbody>", 1)[1]
    assert table.count("</tr>") == 1
    assert f">{label}</span>" in table


def test_an_unknown_status_filter_is_refused(client, sam, statuses):
    client.force_login(sam)
    response = client.get("/invitations/?status=lost")
    assert response.status_code == 400
    assert "Select a valid choice." in response.text
