"""The invitations list: search by customer, filter by kind and status, sort by expiry, all
in the URL; the customers list's search (any part of a name, domain, contact, email)."""

import datetime

import pytest
from django.utils import timezone

from invitations.models import InvitationKind, InvitationStatus
from tests import factories as f

pytestmark = pytest.mark.django_db


def invitation(agent, name, **fields):
    customer = f.CustomerFactory(company_name=name, contact_email=f"it@{name.lower()}.example")
    f.RelationshipFactory(partner=agent.partner, customer=customer)
    return f.InvitationFactory(partner=agent.partner, customer=customer, created_by=agent, **fields)


def listed(client, agent, query=""):
    client.force_login(agent)
    response = client.get(f"/invitations/{query}")
    return response, [i.customer.company_name for i in response.context["page"].object_list]


def test_a_search_finds_the_customer_by_any_part_of_its_name(client, sam):
    invitation(sam, "Kovárna Horák")
    invitation(sam, "Wingtip")
    assert listed(client, sam, "?q=horak")[1] == ["Kovárna Horák"]


def test_a_search_finds_the_customer_by_its_contacts_email(client, sam):
    invitation(sam, "Kovárna Horák")
    invitation(sam, "Wingtip")
    assert listed(client, sam, "?q=wingtip.example")[1] == ["Wingtip"]


def test_a_search_finds_the_customer_by_the_start_of_its_tenant_id(client, sam):
    found = invitation(sam, "Kovárna Horák")
    invitation(sam, "Wingtip")
    assert listed(client, sam, f"?q={str(found.customer.tenant_id)[:8]}")[1] == ["Kovárna Horák"]


def test_a_search_never_reaches_another_partners_invitations(client, sam, lisa):
    invitation(lisa, "Horák Litware")
    response, names = listed(client, sam, "?q=horak")
    assert names == []
    assert "No invitations match your search." in response.text


def test_filter_by_kind(client, sam):
    invitation(sam, "Existing", kind=InvitationKind.EXISTING_CUSTOMER)
    invitation(sam, "Reseller", kind=InvitationKind.RESELLER_RELATIONSHIP)
    assert listed(client, sam, "?kind=reseller_relationship")[1] == ["Reseller"]


def test_filter_by_status_counts_a_lapsed_invitation_as_expired(client, sam):
    invitation(sam, "Open")
    invitation(sam, "Lapsed", expires_at=timezone.now() - datetime.timedelta(days=1))
    invitation(sam, "Revoked", status=InvitationStatus.REVOKED)
    assert listed(client, sam, "?status=expired")[1] == ["Lapsed"]
    assert listed(client, sam, "?status=pending")[1] == ["Open"]
    assert listed(client, sam, "?status=revoked")[1] == ["Revoked"]


def test_sort_by_expiry(client, sam):
    now = timezone.now()
    invitation(sam, "Later", expires_at=now + datetime.timedelta(days=20))
    invitation(sam, "Soon", expires_at=now + datetime.timedelta(days=2))
    invitation(sam, "Middle", expires_at=now + datetime.timedelta(days=10))
    assert listed(client, sam, "?sort=expires")[1] == ["Soon", "Middle", "Later"]
    assert listed(client, sam, "?sort=-expires")[1] == ["Later", "Middle", "Soon"]


def test_newest_first_unless_sorted(client, sam):
    invitation(sam, "First")
    invitation(sam, "Second")
    assert listed(client, sam)[1] == ["Second", "First"]


def test_search_filters_and_sort_combine(client, sam):
    now = timezone.now()
    for days in (9, 3):
        invitation(
            sam,
            f"Horák {days}",
            kind=InvitationKind.RESELLER_RELATIONSHIP,
            expires_at=now + datetime.timedelta(days=days),
        )
    invitation(sam, "Horák other", kind=InvitationKind.EXISTING_CUSTOMER)
    query = "?q=horak&kind=reseller_relationship&status=pending&sort=expires"
    assert listed(client, sam, query)[1] == ["Horák 3", "Horák 9"]


def test_the_form_shows_what_is_in_force(client, sam):
    invitation(sam, "Horák")
    response, _names = listed(client, sam, "?q=horak&sort=expires")
    assert 'value="horak"' in response.text
    assert '<option value="expires" selected>' in response.text
    assert '<label class="form-label" for="id_q">Customer</label>' in response.text
