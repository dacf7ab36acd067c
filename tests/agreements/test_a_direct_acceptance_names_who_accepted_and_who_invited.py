"""A direct acceptance names two facts apart: the customer's admin who accepted, and the partner
whose invitation it answered. The admin is never shown as that partner's agent (Account info,
the operators' admin); a partner attestation still names the agent who recorded it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Acceptance, AcceptanceMethod
from tests import factories as f
from tests.admin_center.accepting import press_accept


@pytest.fixture
def pavel(acme):
    return f.CustomerAdminFactory(
        customer=acme, first_name="Pavel", last_name="Beneš", must_change_password=False
    )


@pytest.fixture
def accepted(client, invite, acme, pavel):
    """Pavel accepts Contoso's invitation in the admin center, as a customer would."""
    _invitation, path, _token = invite(acme)
    client.force_login(pavel)
    assert press_accept(client, path, {"accept_agreement": "on"}).status_code == 302
    client.logout()
    return Acceptance.objects.get(method=AcceptanceMethod.DIRECT_ACCEPTANCE)


def account_info(client, agent, customer) -> str:
    client.force_login(agent)
    response = client.get(reverse("customers:detail", args=[customer.tenant_id]))
    assert response.status_code == 200
    return response.text


def test_account_info_names_the_customers_admin_and_the_inviting_partner(
    client, hana, acme, accepted
):
    text = account_info(client, hana, acme)
    assert "Pavel Beneš, the customer's admin" in text
    assert "An invitation from Contoso Partner" in text  # the latest record
    assert "In answer to an invitation from Contoso Partner" in text  # the history row
    assert "Pavel Beneš (Contoso Partner)" not in text
    assert 'Pavel Beneš<br><span class="small">Contoso Partner</span>' not in text


def test_a_partner_attestation_still_names_the_agent_who_recorded_it(
    client, hana, sam, acme, accepted
):
    f.attest(acme, sam, first_name="Eva", last_name="Dvořáková")
    text = account_info(client, hana, acme)
    assert "Sam Agent (Contoso Partner)" in text  # the latest record: recorded by Sam
    assert "Eva Dvořáková, the customer" not in text
    # The history keeps both, each with its own kind of attribution.
    assert "In answer to an invitation from Contoso Partner" in text
    assert 'Sam Agent<br><span class="small">Contoso Partner</span>' in text


def test_account_info_says_it_in_czech_too(client, hana, acme, accepted):
    client.cookies["django_language"] = "cs"
    text = account_info(client, hana, acme)
    assert "Pavel Beneš, správce zákazníka" in text
    assert "V odpověď na pozvánku od Contoso Partner" in text


def test_another_partners_agent_sees_none_of_it(client, lisa, acme, accepted):
    client.force_login(lisa)
    response = client.get(reverse("customers:detail", args=[acme.tenant_id]))
    assert response.status_code == 404


def test_the_history_costs_the_same_with_both_kinds_of_record(client, hana, sam, acme, accepted):
    url = reverse("customers:detail", args=[acme.tenant_id])
    client.force_login(hana)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in range(5):
        f.attest(acme, sam, first_name=f"A{number}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one)


# --- the operators' admin -----------------------------------------------------------------


def test_the_admin_list_tells_the_two_kinds_apart(client, operator, sam, acme, accepted):
    f.attest(acme, sam, first_name="Eva", last_name="Dvořáková")
    client.force_login(operator)
    text = client.get(reverse("admin:agreements_acceptance_changelist")).text
    assert "Pavel Beneš, the customer&#x27;s admin" in text
    assert "In answer to an invitation from Contoso Partner" in text
    assert "Recorded by Sam Agent (Contoso Partner)" in text


def test_the_admin_record_page_tells_who_accepted_and_who_invited(client, operator, accepted):
    client.force_login(operator)
    text = client.get(reverse("admin:agreements_acceptance_change", args=[accepted.pk])).text
    assert "Pavel Beneš, the customer&#x27;s admin" in text
    assert "In answer to an invitation from Contoso Partner" in text


def test_the_admin_list_costs_the_same_for_more_records(client, operator, sam, acme, accepted):
    url = reverse("admin:agreements_acceptance_changelist")
    client.force_login(operator)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(5):
        f.attest(acme, sam, first_name=f"A{number}")
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few)


def test_an_agent_cannot_open_the_evidence_admin(client, alice, accepted):
    client.force_login(alice)
    response = client.get(reverse("admin:agreements_acceptance_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
