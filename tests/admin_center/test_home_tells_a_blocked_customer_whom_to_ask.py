"""Flow D for the customer: where only its partner can put the agreement on record (R6), the
admin center's home and the partner's page say so, phrased for the customer, with how to reach
the partner, in either language; nobody else's block shows."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers.models import AgreementStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

HOME = "/admin-center/"
CONTACT = {
    "en": "Contact your partner to attest acceptance of the Microsoft Customer Agreement",
    "cs": "Obraťte se na svého partnera, aby potvrdil přijetí Zákaznické smlouvy Microsoftu",
}
BADGE = {"en": "Your partner must attest", "cs": "Přijetí musí potvrdit váš partner"}
PARTNER_FACING = {
    "en": "Blocked — partner must attest",
    "cs": "Blokováno — přijetí musí potvrdit partner",
}


def page(client, path: str, language: str) -> str:
    return html.unescape(client.get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode())


@pytest.fixture
def blocked_with_litware(acme, litware):
    litware.contact_email = "help@litware.example"
    litware.save(update_fields=["contact_email"])
    return f.RelationshipFactory(
        customer=acme, partner=litware, agreement_status=AgreementStatus.BLOCKED
    )


@pytest.mark.parametrize("language", ["en", "cs"])
def test_the_home_says_whom_to_ask_and_how(
    client, acme_admin, acme, contoso, blocked_with_litware, language
):
    # Acme works with Contoso too, not blocked there: no message for it.
    client.force_login(acme_admin)
    text = page(client, HOME, language)
    assert text.count("data-blocked-partner") == 1
    assert CONTACT[language] in text
    assert BADGE[language] in text
    assert 'href="mailto:help@litware.example"' in text
    block = text.split("data-blocked-partner", 1)[1].split("</div>", 1)[0]
    assert "Litware Cloud" in block and "Contoso Partner" not in block


@pytest.mark.parametrize("language", ["en", "cs"])
def test_the_partner_page_tells_the_customer_not_the_partner(
    client, acme_admin, blocked_with_litware, litware, language
):
    client.force_login(acme_admin)
    text = page(client, f"/admin-center/partners/{litware.partner_id}/", language)
    assert CONTACT[language] in text
    assert BADGE[language] in text
    assert PARTNER_FACING[language] not in text
    assert 'href="mailto:help@litware.example"' in text


def test_an_unblocked_customer_sees_no_such_message(client, acme_admin, acme, contoso):
    assert acme.relationships.get(partner=contoso).agreement_status != AgreementStatus.BLOCKED
    client.force_login(acme_admin)
    text = page(client, HOME, "en")
    assert "data-blocked-partner" not in text
    assert CONTACT["en"] not in text


def test_another_customers_block_is_not_shown(client, blocked_with_litware):
    other = f.CustomerAdminFactory(must_change_password=False)
    client.force_login(other)
    text = page(client, HOME, "en")
    assert "data-blocked-partner" not in text and "Litware Cloud" not in text


def test_the_home_costs_the_same_queries_with_more_blocked_partners(
    client, acme_admin, acme, blocked_with_litware, django_assert_num_queries
):
    client.force_login(acme_admin)
    client.get(HOME)
    with CaptureQueriesContext(connection) as one:
        client.get(HOME)
    for _ in range(3):
        f.RelationshipFactory(customer=acme, agreement_status=AgreementStatus.BLOCKED)
    with django_assert_num_queries(len(one)):
        text = page(client, HOME, "en")
    assert text.count("data-blocked-partner") == 4
