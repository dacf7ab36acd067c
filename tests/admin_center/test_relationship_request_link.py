"""B2's standing link: any customer admin may accept the partner as its reseller, and only that."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import Acceptance
from customers.models import AgreementStatus, Relationship, RelationshipOrigin, RelationshipStatus
from invitations.email import relationship_request_link
from invitations.models import InvitationStatus
from tests import factories as f
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def url(partner) -> str:
    return f"/admin-center/relationship/{partner.partner_id}/"


def accept_url(partner) -> str:
    return f"{url(partner)}accept/"


@pytest.fixture
def globex_admin(globex):
    return f.CustomerAdminFactory(customer=globex, must_change_password=False)


def relationship(partner, customer) -> Relationship | None:
    return Relationship.objects.filter(partner=partner, customer=customer).first()


# --- the link and its query-string form ----------------------------------------------------


def test_the_link_is_built_from_the_portal_base_url(litware, settings):
    settings.PORTAL_BASE_URL = "https://mca.example.com"
    assert relationship_request_link(litware) == (
        f"https://mca.example.com/admin-center/relationship/{litware.partner_id}/"
    )


def test_partner_centers_query_string_form_goes_to_the_page(client, litware):
    response = client.get(
        f"/admin-center/?invType=ResellerRelationship&partnerId={litware.partner_id}"
    )
    assert response.status_code == 302
    assert response["Location"] == url(litware)


def test_the_query_string_form_works_for_a_signed_in_customer_admin(client, acme_admin, litware):
    client.force_login(acme_admin)
    response = client.get(
        f"/admin-center/?invType=ResellerRelationship&partnerId={litware.partner_id}",
        follow=True,
    )
    assert response.redirect_chain == [(url(litware), 302)]
    assert response.status_code == 200


@pytest.mark.parametrize("partner_id", ["", "a/b"])
def test_a_broken_query_string_gets_the_unknown_partner_page(client, partner_id):
    response = client.get(f"/admin-center/?invType=ResellerRelationship&partnerId={partner_id}")
    assert response.status_code == 404
    assert "Partner not found" in response.text


def test_the_plain_home_still_needs_a_sign_in(client):
    response = client.get("/admin-center/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin-center/login/")


# --- anonymous visitors --------------------------------------------------------------------


def test_an_anonymous_visitor_sees_who_asks_and_a_sign_in_that_keeps_the_link(client, litware):
    response = client.get(url(litware))
    assert response.status_code == 200
    assert "Litware" in response.text
    assert "asks to become your reseller" in response.text
    assert f'href="/admin-center/login/?next={url(litware)}"' in response.text
    assert 'type="checkbox"' not in response.text
    assert "no-store" in response["Cache-Control"]


def test_an_anonymous_visitor_cannot_accept(client, litware):
    response = client.post(accept_url(litware), {"accept_relationship": "on"})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin-center/login/")
    assert (
        not Relationship.objects.filter(partner=litware)
        .exclude(customer__company_name="Globex")
        .exists()
    )


def test_sign_in_and_the_forced_password_change_lead_back_to_the_link(client, acme, litware):
    admin = f.CustomerAdminFactory(customer=acme, must_change_password=True)
    landing = client.post(
        f"/admin-center/login/?next={url(litware)}",
        {"username": admin.email, "password": PASSWORD, "next": url(litware)},
    )
    assert landing["Location"] == url(litware)
    forced = client.get(url(litware))
    assert forced["Location"] == f"/admin-center/password/?next={url(litware)}"
    changed = client.post(
        forced["Location"],
        {
            "old_password": PASSWORD,
            "new_password1": "A-much-longer-passphrase-7",
            "new_password2": "A-much-longer-passphrase-7",
            "next": url(litware),
        },
    )
    assert changed["Location"] == url(litware)
    assert client.get(url(litware)).status_code == 200


# --- a signed-in customer admin ------------------------------------------------------------


def test_the_page_shows_the_partner_and_an_unticked_box(client, acme_admin, litware):
    client.force_login(acme_admin)
    response = client.get(url(litware))
    html = response.text
    assert response.status_code == 200
    for shown in (
        "Litware",
        litware.get_kind_display(),
        litware.partner_id,
        litware.country.name,
        "What accepting means",
        "Acme s.r.o.",
    ):
        assert str(shown) in html
    assert 'name="accept_relationship"' in html
    assert "checked" not in html
    assert f'action="{accept_url(litware)}"' in html
    assert "will ask you to accept the Microsoft Customer Agreement next" in html


def test_looking_at_the_page_changes_nothing(client, acme_admin, acme, litware):
    client.force_login(acme_admin)
    before = list(Relationship.objects.values_list("pk", "status", "agreement_status"))
    client.get(url(litware))
    client.get(url(litware))
    assert list(Relationship.objects.values_list("pk", "status", "agreement_status")) == before
    assert relationship(litware, acme) is None


def test_accepting_creates_an_active_relationship(client, acme_admin, acme, litware):
    client.force_login(acme_admin)
    response = client.post(accept_url(litware), {"accept_relationship": "on"}, follow=True)
    assert response.redirect_chain[-1][0] == "/admin-center/partners/"
    created = relationship(litware, acme)
    assert created.status == RelationshipStatus.ACTIVE
    assert created.origin == RelationshipOrigin.ACCEPTED_INVITATION
    assert created.activated_at is not None
    assert created.agreement_status == AgreementStatus.NONE
    assert "You accepted Litware" in response.text
    assert "will ask you to accept the Microsoft Customer Agreement next" in response.text
    assert "Litware" in response.text.split("<table", 1)[1]


def test_accepting_never_records_the_agreement(client, acme_admin, litware):
    client.force_login(acme_admin)
    client.post(accept_url(litware), {"accept_relationship": "on"})
    assert not Acceptance.objects.exists()


def test_accepting_activates_a_pending_relationship(client, acme_admin, acme, litware):
    f.RelationshipFactory(
        partner=litware, customer=acme, status=RelationshipStatus.PENDING, activated_at=None
    )
    client.force_login(acme_admin)
    client.post(accept_url(litware), {"accept_relationship": "on"})
    activated = relationship(litware, acme)
    assert (activated.status, activated.origin) == (
        RelationshipStatus.ACTIVE,
        RelationshipOrigin.ACCEPTED_INVITATION,
    )
    assert activated.activated_at is not None


def test_accepting_refreshes_the_agreement_status(client, acme_admin, acme, litware, lisa):
    f.RelationshipFactory(
        partner=litware, customer=acme, status=RelationshipStatus.PENDING, activated_at=None
    )
    f.attest(acme, lisa)
    Relationship.objects.filter(partner=litware, customer=acme).update(
        agreement_status=AgreementStatus.NONE
    )
    client.force_login(acme_admin)
    response = client.post(accept_url(litware), {"accept_relationship": "on"}, follow=True)
    assert relationship(litware, acme).agreement_status == AgreementStatus.ATTESTED
    assert "will ask you to accept the Microsoft Customer Agreement next" not in response.text


def test_an_open_invitation_is_pointed_to_for_the_agreement(client, acme_admin, acme, lisa):
    f.InvitationFactory(partner=lisa.partner, customer=acme, created_by=lisa)
    client.force_login(acme_admin)
    response = client.get(url(lisa.partner))
    assert "has also sent you an invitation" in response.text


def test_an_expired_invitation_is_not_pointed_to(client, acme_admin, acme, lisa):
    f.InvitationFactory(
        partner=lisa.partner,
        customer=acme,
        created_by=lisa,
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )
    client.force_login(acme_admin)
    response = client.get(url(lisa.partner))
    assert "has also sent you an invitation" not in response.text
    assert "will ask you to accept the Microsoft Customer Agreement next" in response.text


def test_accepting_needs_the_box_ticked(client, acme_admin, acme, litware):
    client.force_login(acme_admin)
    response = client.post(accept_url(litware), {})
    assert response.status_code == 400
    assert "Tick this box to accept." in response.text
    assert relationship(litware, acme) is None


def test_accepting_needs_a_post(client, acme_admin, litware):
    client.force_login(acme_admin)
    assert client.get(accept_url(litware)).status_code == 405


def test_an_active_relationship_gets_a_clear_page(client, acme_admin, contoso):
    client.force_login(acme_admin)
    response = client.get(url(contoso))
    assert response.status_code == 200
    assert "Contoso" in response.text
    assert "is already your reseller. There is nothing to accept." in response.text
    assert 'name="accept_relationship"' not in response.text


def test_accepting_an_active_relationship_again_changes_nothing(client, acme_admin, acme, contoso):
    before = relationship(contoso, acme)
    client.force_login(acme_admin)
    response = client.post(accept_url(contoso), {"accept_relationship": "on"})
    assert response.status_code == 409
    assert "is already your reseller" in response.text
    after = relationship(contoso, acme)
    assert (after.origin, after.activated_at) == (before.origin, before.activated_at)


@pytest.mark.parametrize("signed_in", [False, True])
def test_an_unknown_partner_gets_a_clear_404(client, acme_admin, signed_in):
    if signed_in:
        client.force_login(acme_admin)
    response = client.get("/admin-center/relationship/0000000/")
    assert response.status_code == 404
    assert "Partner not found" in response.text
    assert "names no partner we know" in response.text


def test_accepting_an_unknown_partner_is_404(client, acme_admin):
    client.force_login(acme_admin)
    response = client.post(
        "/admin-center/relationship/0000000/accept/", {"accept_relationship": "on"}
    )
    assert response.status_code == 404
    assert Relationship.objects.count() == 1


@pytest.mark.parametrize("persona", ["alice", "sam", "hana", "bill", "nora", "operator"])
def test_agents_and_operators_get_403(client, persona, request, litware):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(litware)).status_code == 403
    response = client.post(accept_url(litware), {"accept_relationship": "on"})
    assert response.status_code == 403
    assert (
        not Relationship.objects.filter(partner=litware)
        .exclude(customer__company_name="Globex")
        .exists()
    )


# --- one customer never sees another's --------------------------------------------------


def test_another_customers_admin_sees_only_its_own_organisation(
    client, globex_admin, acme, contoso
):
    f.attest(acme, f.AgentFactory(partner=contoso))
    client.force_login(globex_admin)
    response = client.get(url(contoso))
    assert "Globex" in response.text
    assert "Acme" not in response.text
    assert "acme.onmicrosoft.com" not in response.text
    # Acme's agreement with Contoso is on record; Globex's isn't, and the page says so.
    assert "will ask you to accept the Microsoft Customer Agreement next" in response.text


def test_another_customers_acceptance_touches_only_its_own_relationship(
    client, globex_admin, globex, acme, contoso
):
    before = relationship(contoso, acme)
    client.force_login(globex_admin)
    client.post(accept_url(contoso), {"accept_relationship": "on"})
    assert relationship(contoso, globex).status == RelationshipStatus.ACTIVE
    after = relationship(contoso, acme)
    assert (after.status, after.origin, after.activated_at) == (
        before.status,
        before.origin,
        before.activated_at,
    )


def test_an_open_invitation_of_another_customer_is_not_mentioned(
    client, globex_admin, acme, contoso, sam
):
    f.InvitationFactory(
        partner=contoso, customer=acme, created_by=sam, status=InvitationStatus.PENDING
    )
    client.force_login(globex_admin)
    assert "has also sent you an invitation" not in client.get(url(contoso)).text


# --- cost ---------------------------------------------------------------------------------


def test_the_page_costs_the_same_however_many_partners(client, acme_admin, acme, litware):
    client.force_login(acme_admin)
    client.get(url(litware))
    with CaptureQueriesContext(connection) as few:
        client.get(url(litware))
    for _ in range(10):
        f.RelationshipFactory(customer=acme)
        f.attest(acme, f.AgentFactory(partner=f.PartnerFactory()))
    with CaptureQueriesContext(connection) as many:
        client.get(url(litware))
    assert len(few) == len(many) <= 8


# --- agents see their link ----------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "sam"])
def test_admin_and_sales_agents_see_their_partner_link_with_copy(
    client, persona, request, settings
):
    settings.PORTAL_BASE_URL = "https://mca.example.com"
    agent = request.getfixturevalue(persona)
    client.force_login(agent)
    html = client.get("/invitations/request/").text
    link = f"https://mca.example.com/admin-center/relationship/{agent.partner.partner_id}/"
    assert "Your partner link" in html
    assert f'value="{link}"' in html
    assert 'data-copy-target="partner-link-text"' in html
