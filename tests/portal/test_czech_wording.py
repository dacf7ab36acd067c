"""The Czech a newcomer read and found wanting (issue 16): a neutral email greeting, "Nové
objednávky nelze zadat, dokud…", "Centrum pro správu" always capitalised as a name, "Typ" of
partner, the customer's own acceptance read as "Přijato vámi", and offer names and product
types in Czech where they are the portal's words."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from customers.status import refresh_agreement_status
from invitations.email import compose_email, invitation_link
from orders.models import Offer, ProductType
from orders.services import order_gate
from tests import factories as f

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "cs" / "LC_MESSAGES" / "django.po"


@pytest.fixture
def in_czech(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cs"
    return client


def test_the_czech_email_greets_without_a_nominative_name(acme, sam):
    acme.language = "cs"
    acme.contact_first_name = "Karel"
    acme.save()
    invitation = f.InvitationFactory(partner=sam.partner, customer=acme, created_by=sam)
    email = compose_email(invitation, invitation_link("t" * 43))
    assert email.body.startswith("Dobrý den,\n")
    assert "Dobrý den, Karel" not in email.body


def test_the_english_email_still_greets_by_name(acme, sam):
    acme.language = "en"
    acme.contact_first_name = "Karel"
    acme.save()
    invitation = f.InvitationFactory(partner=sam.partner, customer=acme, created_by=sam)
    assert compose_email(invitation, invitation_link("t" * 43)).body.startswith("Dear Karel,")


def test_a_closed_gate_says_new_orders_cannot_be_placed_until(acme, contoso):
    f.InvitationFactory(partner=contoso, customer=acme, status="blocked")
    refresh_agreement_status(acme)
    with translation.override("cs"):
        reason = order_gate(acme, contoso).reason
    assert "Nové objednávky nelze zadat, dokud partner přijetí nepotvrdí." in reason


def test_no_czech_entry_says_orders_wait_or_writes_the_admin_center_in_lower_case():
    for entry in polib.pofile(str(CATALOGUE)):
        assert "počkají" not in entry.msgstr, entry.msgid
        assert not re.search(r"(?<![\w])centr(um|u|a|em) pro správu", entry.msgstr), entry.msgid


def test_a_partner_has_a_type_in_czech(in_czech, acme_admin, contoso):
    in_czech.force_login(acme_admin)
    html = in_czech.get(reverse("admin_center:partner_detail", args=[contoso.partner_id])).text
    assert ">Typ</dt>" in html and ">Druh<" not in html


def test_the_customer_reads_its_own_acceptance_as_accepted_by_it(client, acme, acme_admin, contoso):
    f.accept_directly(acme, acme_admin, contoso)
    client.force_login(acme_admin)
    for url in (
        reverse("admin_center:partners"),
        reverse("admin_center:partner_detail", args=[contoso.partner_id]),
    ):
        english = client.get(url).text
        assert "Accepted by you" in english and "Accepted directly" not in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cs"
    czech = client.get(reverse("admin_center:partners")).text
    assert "Přijato vámi" in czech and "Přijato přímo zákazníkem" not in czech


def test_the_partner_still_reads_accepted_directly(client, sam, acme, acme_admin, contoso):
    f.accept_directly(acme, acme_admin, contoso)
    client.force_login(sam)
    assert (
        "Accepted directly" in client.get(reverse("customers:detail", args=[acme.tenant_id])).text
    )


def test_an_offer_named_after_its_type_and_the_types_are_czech(in_czech, sam):
    azure = f.OfferFactory(name="Azure plan", product_type=ProductType.AZURE_PLAN)
    visio = f.OfferFactory(name="Visio Plan 2", product_type=ProductType.SOFTWARE_SUBSCRIPTION)
    in_czech.force_login(sam)
    html = in_czech.get(reverse("orders:offers")).text
    assert "<td>Plán Azure</td>" in html and "Azure plan" not in html
    assert "Předplatné softwaru" in html and "Software subscription" not in html
    with translation.override("en"):
        assert Offer.objects.get(pk=azure.pk).display_name == "Azure plan"
    assert visio.display_name == "Visio Plan 2"  # its own name, in every language
