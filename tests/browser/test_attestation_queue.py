"""R3 in real Chromium: the reseller asks, the provider attests from its dashboard queue."""

import datetime

import pytest
from django.utils import timezone

from tests import factories as f
from tests.browser.support import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_reseller_asks_and_provider_attests_from_its_queue(
    live_server, page, second_page, nora, frank, initech
):
    sign_in(page, live_server.url, nora.email, f.PASSWORD)
    page.goto(f"{live_server.url}/customers/{initech.tenant_id}/")
    assert page.locator("#agreement").get_by_role("link", name="Update").count() == 0
    assert "Your indirect provider, Fabrikam Distribution, attests for you." in page.content()
    with page.expect_navigation():
        page.get_by_role("button", name="Ask my provider to attest").click()
    assert "Fabrikam Distribution has been asked to attest for this customer." in page.content()
    assert page.get_by_role("button", name="Ask my provider to attest").count() == 0

    sign_in(second_page, live_server.url, frank.email, f.PASSWORD)
    second_page.wait_for_url("**/dashboard/")
    queue = second_page.get_by_role("region", name="Attestation requests from your resellers")
    assert "Northwind Reseller" in queue.inner_text()
    queue.get_by_role("link", name="Attest for Initech").click()
    second_page.get_by_label("First name").fill("Karel")
    second_page.get_by_label("Last name").fill("Veselý")
    second_page.get_by_label("Email address").fill("karel@initech.example")
    second_page.get_by_label("Date the agreement was accepted").fill(
        (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    )
    second_page.get_by_role("button", name="Save and continue").click()
    assert "Attested by partner" in second_page.locator("#agreement").inner_text()
    second_page.goto(f"{live_server.url}/dashboard/")
    assert "No reseller is waiting for an attestation." in second_page.content()
    assert_accessible(second_page)

    page.reload()
    agreement = page.locator("#agreement").inner_text()
    assert "Attested by partner" in agreement
    assert "Karel Veselý" in agreement
