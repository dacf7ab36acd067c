import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from agreements.models import AgreementDocument, AgreementTemplate
from customers.models import AgreementStatus, Customer, Relationship
from demo.management.commands.demo import DEMO_PASSWORD
from orders.models import Offer, ProductType
from portal.models import Partner, User

pytestmark = pytest.mark.django_db


def test_the_demo_world_is_complete(demo_world):
    assert set(Partner.objects.values_list("name", flat=True)) == {
        "Contoso Partner",
        "Fabrikam Distribution",
        "Northwind Reseller",
        "Litware Cloud",
    }
    for email in (
        "admin@contoso.example",
        "sales@contoso.example",
        "helpdesk@contoso.example",
        "billing@contoso.example",
        "admin@fabrikam.example",
        "sales@northwind.example",
        "admin@litware.example",
    ):
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)
    assert AgreementTemplate.objects.count() == 3
    for country, language in (
        ("CZ", "cs-CZ"),
        ("CZ", "en-US"),  # issue 16: Czechia in English too
        ("US", "en-US"),
        ("DE", "de-DE"),
        ("GB", "en-GB"),
    ):
        assert AgreementDocument.objects.filter(country=country, language=language).count() == 3
    assert set(Offer.objects.values_list("product_type", flat=True)) == set(ProductType.values)
    assert Customer.objects.count() >= 30
    assert User.objects.filter(customer__isnull=False).count() == Customer.objects.count()
    states = set(Relationship.objects.values_list("agreement_status", flat=True))
    assert states == set(AgreementStatus.values)


def test_the_demo_is_idempotent(demo_world):
    before = (Customer.objects.count(), User.objects.count(), Relationship.objects.count())
    call_command("demo", verbosity=0)
    assert (Customer.objects.count(), User.objects.count(), Relationship.objects.count()) == before


def test_the_demo_documents_are_marked_as_sample_text(demo_world):
    for document in AgreementDocument.objects.all():
        assert (
            "SAMPLE" in document.read_text()
            or "UKÁZKOVÝ" in document.read_text()
            or ("BEISPIELTEXT" in document.read_text())
        )


def test_the_demo_prints_a_working_link_for_each_open_invitation(demo_world, client):
    """Tokens are kept only hashed, so each run hands out new links the walker can open."""
    import io
    import re

    from invitations.models import Invitation

    out = io.StringIO()
    call_command("demo", stdout=out)
    links = re.findall(r"(\S+\.onmicrosoft\.com) from [^:]+: (\S+)", out.getvalue())
    assert len(links) == Invitation.objects.live().count() > 0
    domain, link = next(pair for pair in links if pair[0] == "zeleninasvoboda.onmicrosoft.com")
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    client.force_login(User.objects.get(email=f"admin@{domain}"))
    response = client.get(path)
    assert response.status_code == 200
    assert "Contoso Partner" in response.text
    # Running the demo again replaces the token: the old link is dead, the invitation is not.
    call_command("demo", verbosity=0)
    assert client.get(path).status_code == 404
    assert Invitation.objects.live().count() == len(links)


def test_the_demo_has_something_for_every_filter(demo_world):
    """Expired and revoked invitations, and an auto-renewal, so each list filter shows a row."""
    from invitations.models import Invitation, InvitationStatus
    from orders.models import Order

    assert Invitation.objects.lapsed().exists()
    assert Invitation.objects.filter(status=InvitationStatus.REVOKED).exists()
    renewal = Order.objects.get(
        is_auto_renewal=True, customer__domain="wideworldimporters.onmicrosoft.com"
    )
    assert renewal.renews.customer == renewal.customer


def readme_sign_ins():
    """(sign-in page, account) for each row of README's "Demo sign-ins" table."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Demo sign-ins", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(/[^`]*)` \| `([^`]+@[^`]+)` \|", table, flags=re.MULTILINE)


def test_every_readme_sign_in_works_with_the_demo_password(demo_world, client):
    sign_ins = readme_sign_ins()
    assert len(sign_ins) >= 11
    for page, email in sign_ins:
        url = "/admin/login/" if page == "/admin/" else page
        response = client.post(url, {"username": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, (page, email)
        assert "_auth_user_id" in client.session, (page, email)
        assert not User.objects.get(email=email).must_change_password
        client.logout()


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"])
def test_every_password_the_demo_leaves_is_a_real_pbkdf2_hash():
    # The throwaway temporary passwords get a fast hash while the world is built; none stays.
    call_command("demo", verbosity=0)
    hashes = set(User.objects.values_list("password", flat=True))
    assert len(hashes) == 1
    assert hashes.pop().startswith("pbkdf2_sha256$")


def test_every_demo_customer_admin_has_the_demo_password(demo_world):
    admins = User.objects.filter(customer__isnull=False)
    assert admins.count() == Customer.objects.count()
    for admin in admins:
        assert admin.email == f"admin@{admin.customer.domain}"
        assert admin.check_password(DEMO_PASSWORD)
        assert not admin.must_change_password


def test_every_demo_customer_ends_in_the_state_its_story_names(demo_world):
    from demo.world import domain_of, load

    world = load()
    partner_ids = {partner["key"]: partner["partner_id"] for partner in world["partners"]}
    for spec in world["customers"]:
        relationship = Relationship.objects.get(
            customer__domain=domain_of(spec), partner__partner_id=partner_ids[spec["partner"]]
        )
        expected = world["stories"][spec["story"]]["state"]
        assert relationship.effective_agreement_status == expected, spec["name"]
    assert Customer.objects.count() == len(world["customers"])


def test_the_blocked_demo_customers_bought_before(demo_world):
    """D1: earlier purchases through Contoso itself; D2: through Litware, and Contoso's
    reseller relationship waits for the customer, who may accept it but not the agreement."""
    from invitations.models import Invitation, InvitationStatus
    from invitations.services import acceptance_block
    from orders.models import Order

    d1 = Invitation.objects.get(customer__domain="tiskarnacerny.onmicrosoft.com")
    assert d1.status == InvitationStatus.BLOCKED
    assert acceptance_block(d1).blocked and not acceptance_block(d1).relationship_allowed
    assert Order.objects.filter(
        customer=d1.customer, partner=d1.partner, is_auto_renewal=False
    ).exists()

    d2 = Invitation.objects.get(customer__domain="proseware.onmicrosoft.com")
    assert d2.status == InvitationStatus.BLOCKED
    assert acceptance_block(d2).blocked and acceptance_block(d2).relationship_allowed
    assert set(
        Order.objects.filter(customer=d2.customer).values_list("partner__name", flat=True)
    ) == {"Litware Cloud"}
    assert d2.customer.relationships.get(partner=d2.partner).status == "pending"


def test_the_demo_invitations_were_sent_and_keep_no_secret(demo_world):
    from invitations.email import LINK_TOKEN
    from invitations.models import Invitation

    for invitation in Invitation.objects.all():
        assert invitation.sent_at is not None
        assert invitation.email_to == invitation.customer.contact_email
        assert invitation.email_subject
        assert "/admin-center/invitation/…/" in invitation.email_body
        assert not LINK_TOKEN.findall(invitation.email_body)


def test_running_the_demo_again_changes_nothing_but_the_open_links(demo_world):
    import io

    from django.db.models import Count

    from agreements.models import Acceptance, AttestationRequest
    from invitations.models import Invitation
    from orders.models import Order, OrderLine

    def world():
        return {
            "relationships": sorted(
                Relationship.objects.values_list(
                    "customer__domain", "partner__name", "status", "agreement_status"
                )
            ),
            "invitations": sorted(
                Invitation.objects.values_list("customer__domain", "kind", "status", "expires_at")
            ),
            "orders": sorted(
                Order.objects.annotate(line_count=Count("lines")).values_list(
                    "customer__domain", "partner__name", "is_auto_renewal", "line_count"
                )
            ),
            "order lines": OrderLine.objects.count(),
            "acceptances": sorted(Acceptance.objects.values_list("chain_hash", flat=True)),
            "requests": AttestationRequest.objects.count(),
            "users": sorted(User.objects.values_list("email", "password")),
        }

    before = world()
    call_command("demo", verbosity=0, stdout=io.StringIO())
    assert world() == before
    out = io.StringIO()
    call_command("verify_evidence", stdout=out)
    assert "intact" in out.getvalue()


def test_the_demo_shows_v3s_campaign_and_its_alerts(demo_world, client):
    """Issue 14's demo: v3 requires re-acceptance with a deadline ahead; straight after the
    demo, every agent has the alert of its publication, and the campaign shows who is due."""
    from alerts.models import Event, Notification
    from campaigns.selectors import campaign_versions

    [v3] = campaign_versions()
    assert v3.version_rank == 3
    assert v3.reacceptance_deadline > timezone.localdate()
    agents = User.objects.filter(partner__isnull=False, is_active=True)
    told = Notification.objects.filter(event=Event.VERSION_PUBLISHED)
    assert set(told.values_list("recipient", flat=True)) == set(agents.values_list("pk", flat=True))
    link = f"/campaigns/{v3.template_id}/"
    assert set(told.values_list("link", flat=True)) == {link}
    client.force_login(User.objects.get(email="admin@contoso.example"))
    page = client.get(link)
    assert page.status_code == 200
    assert page.context["counts"].due > 0
    assert f'href="{link}"' in client.get("/notifications/").content.decode()
    # Running the demo again tells nobody twice.
    call_command("demo", verbosity=0)
    assert Notification.objects.filter(event=Event.VERSION_PUBLISHED).count() == agents.count()


def test_the_demo_partners_name_their_contact_details(demo_world, client):
    """Named by each partner's admin agent through Partner profile's service (so in its audit
    log); Northwind names none, and its customers are shown whom it has instead."""
    from portal.models import AuditAction, AuditEntry

    contoso = Partner.objects.get(name="Contoso Partner")
    assert (contoso.contact_email, str(contoso.contact_phone), contoso.website) == (
        "podpora@contoso.example",
        "+420222333444",
        "https://www.contoso.example/",
    )
    assert Partner.objects.get(name="Litware Cloud").contact_email == "help@litware.example"
    assert Partner.objects.get(name="Fabrikam Distribution").has_contact_details
    assert not Partner.objects.get(name="Northwind Reseller").has_contact_details
    named = AuditEntry.objects.filter(action=AuditAction.PROFILE_CHANGED, partner=contoso)
    assert set(named.values_list("actor_email", flat=True)) == {"admin@contoso.example"}
    before = AuditEntry.objects.filter(action=AuditAction.PROFILE_CHANGED).count()
    call_command("demo", verbosity=0)
    assert AuditEntry.objects.filter(action=AuditAction.PROFILE_CHANGED).count() == before
    # A customer admin of Contoso reads them on Contoso's page.
    client.force_login(User.objects.get(email="admin@zeleninasvoboda.onmicrosoft.com"))
    page = client.get(f"/admin-center/partners/{contoso.partner_id}/").text
    assert 'href="mailto:podpora@contoso.example"' in page
    assert 'href="tel:+420222333444"' in page
