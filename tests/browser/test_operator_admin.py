"""The operators' admin works in real Chromium under the portal's Content-Security-Policy
(the page fixture fails the test on any violation the browser reports)."""

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_operator_works_through_the_admin_without_csp_violations(
    live_server, page, operator, acme, alice, template_cz
):
    f.attest(acme, alice)
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill(operator.email)
    page.locator("#id_password").fill(f.PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")
    for path in (
        "/admin/customers/customer/",
        f"/admin/customers/customer/{acme.pk}/change/",
        "/admin/agreements/acceptance/",
        "/admin/agreements/agreementtemplate/",
        "/admin/customers/relationship/?agreement=attested",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert page.locator("#content h1").count() == 1
    # The change list's JavaScript ran (actions checkbox toggles), so scripts weren't blocked.
    page.goto(f"{live_server.url}/admin/customers/customer/")
    page.locator("#action-toggle").check()
    assert page.locator(".action-select").first.is_checked()
