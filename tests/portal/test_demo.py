import pytest
from django.core.management import call_command

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
    assert AgreementTemplate.objects.count() == 2
    for country, language in (("CZ", "cs-CZ"), ("US", "en-US"), ("DE", "de-DE"), ("GB", "en-GB")):
        assert AgreementDocument.objects.filter(country=country, language=language).count() == 2
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
