"""The dashboard's compliance overview and queue in real Chromium: axe-clean in English and
Czech, the charts' text alternatives, and an attestation started from the queue."""

import datetime

import pytest
from django.utils import timezone

from tests import factories as f
from tests.browser.support import assert_accessible, sign_in, switch_language
from tests.portfolio.conftest import block

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def busy_contoso(contoso, sam, template_cz):
    customers = []
    for name in ("Blocked Ltd", "Attested Ltd", "Plain Ltd"):
        customer = f.CustomerFactory(company_name=name)
        f.RelationshipFactory(partner=contoso, customer=customer)
        customers.append(customer)
    block(customers[0], sam)
    f.attest(customers[1], sam)
    return customers


def test_the_dashboard_is_accessible_in_english_and_czech(live_server, page, sam, busy_contoso):
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    overview = page.get_by_role("region", name="Compliance overview")
    chart = overview.get_by_role("img", name="Customers by agreement status")
    assert chart.get_attribute("aria-labelledby") == "status-own-title status-own-desc"
    description = page.locator("#status-own-desc").text_content()
    assert "3 customers. Not on record: 1; Invited: 0; Blocked — partner must attest: 1" in (
        description
    )
    assert overview.get_by_role("img", name="Acceptances recorded per week").count() == 1
    page.get_by_text("The chart's data as a table").first.click()
    assert_accessible(page)
    switch_language(page, "cs")
    page.goto(f"{live_server.url}/dashboard/")
    assert page.get_by_role("region", name="Přehled dodržování smlouvy").count() == 1
    assert page.get_by_role("region", name="Čeká na vás").count() == 1
    assert_accessible(page)


def test_an_agent_attests_from_the_queue(live_server, page, sam, busy_contoso):
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    queue = page.get_by_role("region", name="Needs your action")
    queue.get_by_role("link", name="Attest acceptance — Blocked Ltd").click()
    page.get_by_label("First name").fill("Karel")
    page.get_by_label("Last name").fill("Veselý")
    page.get_by_label("Email address").fill("karel@blocked.example")
    page.get_by_label("Date the agreement was accepted").fill(
        (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    )
    page.get_by_role("button", name="Save and continue").click()
    assert "Attested by partner" in page.locator("#agreement").inner_text()
    page.goto(f"{live_server.url}/dashboard/")
    assert "Blocked Ltd" not in page.get_by_role("region", name="Needs your action").inner_text()
