import pytest

from portal.models import ApiToken
from tests.api.conftest import ApiClient
from tests.browser.support import assert_accessible, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_agent_creates_uses_and_revokes_a_token(live_server, page, sam):
    sign_in(page, live_server.url, sam.email, PASSWORD)
    page.wait_for_url("**/dashboard/")
    page.get_by_role("link", name="API tokens").first.click()
    page.wait_for_url("**/api-tokens/")
    assert page.get_by_role("heading", level=1).inner_text() == "API tokens"
    assert_accessible(page)

    page.get_by_role("button", name="Create token").click()
    assert page.get_by_text("This field is required.").is_visible()
    assert_accessible(page)

    page.get_by_label("Token name").fill("nightly sync")
    page.get_by_role("button", name="Create token").click()
    secret = page.get_by_label("Token", exact=True).input_value()
    assert secret.startswith("mca_")
    assert_accessible(page)
    assert ApiClient(secret).get("/v1/agreements").status_code == 200

    # A reload right after creating repeats the GET it was redirected to, never the POST.
    page.reload()
    assert secret not in page.content()
    assert ApiToken.objects.count() == 1

    page.goto(f"{live_server.url}/api-tokens/")
    assert secret not in page.content()
    page.get_by_role("button", name="Revoke nightly sync").click()
    assert page.get_by_text("The token “nightly sync” is revoked.").is_visible()
    assert_accessible(page)
    assert ApiToken.objects.get().revoked_at is not None
    assert ApiClient(secret).get("/v1/agreements").status_code == 401


def test_the_api_docs_load_from_static_files(live_server, page):
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    external = []
    page.on(
        "request",
        lambda request: (
            external.append(request.url) if not request.url.startswith(live_server.url) else None
        ),
    )
    page.goto(f"{live_server.url}/v1/docs/")
    page.get_by_text("MCA Portal API").first.wait_for()
    page.get_by_text("/v1/customers/{tenant_id}/agreements").first.wait_for()
    assert not failed
    assert not external
