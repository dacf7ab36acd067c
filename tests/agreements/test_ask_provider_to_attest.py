"""R3: a reseller asks its provider to attest; the provider's dashboard queue until it does."""

import pytest
from django.urls import reverse

from agreements.models import AttestationRequest
from portal.models import Role
from tests import factories as f
from tests.customers.conftest import attestation_data


def url(customer):
    return reverse("customers:request_attestation", args=[customer.tenant_id])


def test_reseller_sales_agent_puts_a_request_in_the_providers_queue(client, nora, initech):
    client.force_login(nora)
    response = client.post(url(initech))
    assert response.status_code == 302
    request = AttestationRequest.objects.get()
    assert (request.customer, request.reseller, request.provider, request.requested_by) == (
        initech,
        nora.partner,
        nora.partner.provider,
        nora,
    )
    page = client.get(response["Location"])
    assert "Fabrikam Distribution has been asked to attest for this customer." in page.text
    assert "you asked Fabrikam Distribution to attest. The request stays" in page.text


def test_asking_twice_keeps_one_open_request(client, nora, initech):
    client.force_login(nora)
    client.post(url(initech))
    client.post(url(initech))
    assert AttestationRequest.objects.filter(resolved_at__isnull=True).count() == 1


def test_asking_needs_post(client, nora, initech):
    client.force_login(nora)
    assert client.get(url(initech)).status_code == 405
    assert not AttestationRequest.objects.exists()


@pytest.mark.parametrize("role", [Role.HELPDESK_AGENT, Role.BILLING_ADMIN])
def test_reseller_helpdesk_and_billing_cannot_ask(client, northwind, initech, role):
    agent = f.AgentFactory(partner=northwind, role=role)
    client.force_login(agent)
    assert client.post(url(initech)).status_code == 403
    assert not AttestationRequest.objects.exists()


@pytest.mark.parametrize("persona", ["alice", "frank"])
def test_partners_that_attest_themselves_cannot_ask(request, client, acme, initech, persona):
    agent = request.getfixturevalue(persona)
    customer = acme if persona == "alice" else initech
    client.force_login(agent)
    assert client.post(url(customer)).status_code == 403
    assert not AttestationRequest.objects.exists()


def test_another_partners_customer_is_not_found(client, nora, globex):
    client.force_login(nora)
    assert client.post(url(globex)).status_code == 404
    assert not AttestationRequest.objects.exists()


def test_the_request_round_trip_through_the_providers_dashboard(client, nora, frank, initech):
    client.force_login(nora)
    client.post(url(initech))

    client.force_login(frank)
    dashboard = client.get(reverse("dashboard"))
    attest_url = reverse("customers:attest", args=[initech.tenant_id])
    assert "Attestation requests from your resellers" in dashboard.text
    assert "Initech" in dashboard.text and "Northwind Reseller" in dashboard.text
    assert attest_url in dashboard.text

    assert client.post(attest_url, attestation_data()).status_code == 302
    assert AttestationRequest.objects.get().resolved_at is not None
    dashboard = client.get(reverse("dashboard"))
    assert attest_url not in dashboard.text
    assert "No reseller is waiting for an attestation." in dashboard.text

    client.force_login(nora)
    page = client.get(reverse("customers:detail", args=[initech.tenant_id]))
    assert "Attested by partner" in page.text
    assert "Ask my provider to attest" not in page.text


def test_another_providers_dashboard_does_not_show_the_request(client, nora, initech):
    other_provider_agent = f.AgentFactory(partner=f.ProviderFactory(), role=Role.ADMIN_AGENT)
    client.force_login(nora)
    client.post(url(initech))
    client.force_login(other_provider_agent)
    assert "Initech" not in client.get(reverse("dashboard")).text


def test_provider_helpdesk_does_not_get_the_queue(client, fabrikam, nora, initech):
    helpdesk = f.AgentFactory(partner=fabrikam, role=Role.HELPDESK_AGENT)
    client.force_login(nora)
    client.post(url(initech))
    client.force_login(helpdesk)
    assert "Attestation requests from your resellers" not in client.get(reverse("dashboard")).text


def test_dashboard_queue_query_count_does_not_grow_with_requests(
    client, frank, northwind, django_assert_max_num_queries
):
    from agreements.services import request_attestation

    reseller_agent = f.AgentFactory(partner=northwind, role=Role.SALES_AGENT)

    def add_requests(count):
        for _ in range(count):
            customer = f.CustomerFactory()
            f.RelationshipFactory(partner=northwind, customer=customer)
            request_attestation(customer=customer, reseller=northwind, requested_by=reseller_agent)

    client.force_login(frank)
    add_requests(2)
    # The whole dashboard: the portfolio's overview and queue are on it too (about 10 more).
    with django_assert_max_num_queries(22) as few:
        client.get(reverse("dashboard"))
    add_requests(20)
    with django_assert_max_num_queries(22) as many:
        client.get(reverse("dashboard"))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_provider_sees_the_request_on_the_customers_account_info(client, nora, frank, initech):
    client.force_login(nora)
    client.post(url(initech))
    client.force_login(frank)
    page = client.get(reverse("customers:detail", args=[initech.tenant_id]))
    assert "your reseller Northwind Reseller" in page.text
    assert "asked you to attest for this customer" in page.text


def test_reseller_dashboard_lists_what_it_is_waiting_for_until_attested(
    client, nora, frank, initech
):
    client.force_login(nora)
    client.post(url(initech))
    dashboard = client.get(reverse("dashboard"))
    assert "Waiting for Fabrikam Distribution to attest" in dashboard.text
    assert "Initech" in dashboard.text
    f.attest(initech, frank)
    assert "Waiting for Fabrikam Distribution" not in client.get(reverse("dashboard")).text


def test_once_acceptance_is_on_record_there_is_nothing_to_ask(client, nora, frank, initech):
    """After the provider attests, the reseller's page says so instead of offering the button,
    and a POST (an old tab, a script) is refused with nothing queued."""
    f.attest(initech, frank)
    client.force_login(nora)
    page = client.get(reverse("customers:detail", args=[initech.tenant_id])).text
    assert "there is nothing to ask your provider" in page
    assert "Ask my provider to attest" not in page
    response = client.post(url(initech))
    assert response.status_code == 409
    assert "already on record" in response.text
    assert not AttestationRequest.objects.exists()


def test_asking_for_many_customers_at_once_is_three_queries_and_keeps_one_open_request_each(
    nora, frank, northwind, initech
):
    """request_attestations (a reseller's bulk job, a batch at a time): the same outcomes as
    asking one by one — a new request, the open one kept, nothing to ask once on record."""
    from django.core.exceptions import ValidationError
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from agreements.services import request_attestation, request_attestations

    asked, attested, *new = (f.CustomerFactory() for _ in range(5))
    for customer in (asked, attested, *new):
        f.RelationshipFactory(partner=northwind, customer=customer)
    kept = request_attestation(customer=asked, reseller=northwind, requested_by=nora)
    f.attest(attested, frank)
    customers = [initech, asked, attested, *new, initech]
    with CaptureQueriesContext(connection) as captured:
        results = request_attestations(customers, reseller=northwind, requested_by=nora)
    assert len(captured) == 3
    assert isinstance(results[attested.pk], ValidationError)
    assert results[asked.pk].pk == kept.pk
    for customer in (initech, *new):
        request = results[customer.pk]
        assert (request.customer_id, request.reseller, request.provider, request.requested_by) == (
            customer.pk,
            northwind,
            northwind.provider,
            nora,
        )
    open_requests = AttestationRequest.objects.filter(resolved_at__isnull=True)
    assert open_requests.count() == 5
    assert not open_requests.filter(customer=attested).exists()
