"""Issue 16 in real Chromium, English and Czech, axe-clean: Czechia's agreement in cs-CZ and
en-US — the templates page lists both, the attest form offers both (the customer's language
chosen), and a Czech customer reads and accepts the English one in the admin center."""

import pytest

from agreements.models import Acceptance
from tests import factories as f
from tests.browser.support import assert_accessible, sign_in, switch_language

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cz_english(template_cz):
    return f.AgreementDocumentFactory(template=template_cz, country="CZ", language="en-US")


@pytest.mark.parametrize("language", ["en", "cs"])
def test_the_agent_sees_and_records_either_language(
    live_server, page, sam, acme, cz_english, language
):
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    if language == "cs":
        switch_language(page, "cs")
    page.goto(f"{live_server.url}/agreements/?country=CZ")
    chosen = page.locator("[data-chosen-documents]")
    assert "cs-CZ" in chosen.inner_text() and "en-US" in chosen.inner_text()
    assert_accessible(page)

    page.goto(f"{live_server.url}/customers/{acme.tenant_id}/agreement/update/")
    select = page.locator("#id_agreement_language")
    assert select.input_value() == "cs-CZ"  # the customer's language
    select.select_option("en-US")
    page.locator("#id_date_agreed").fill("2025-06-01")
    assert_accessible(page)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**/customers/{acme.tenant_id}/")
    assert Acceptance.objects.get().document_sha256 == cz_english.sha256
    assert page.locator("[data-template-languages] a").count() == 2
    assert_accessible(page)


@pytest.mark.parametrize(("language", "width"), [("en", 1280), ("cs", 390)])
def test_a_czech_customer_accepts_the_english_agreement(
    live_server, page, acme_admin, invite, acme, cz_english, language, width
):
    _invitation, path, _token = invite(acme)
    sign_in(page, live_server.url, acme_admin.email, f.PASSWORD, admin_center=True)
    if language == "cs":
        switch_language(page, "cs")
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(f"{live_server.url}{path}")
    assert "cs-CZ" in page.locator("pre.agreement-text").inner_text()
    assert_accessible(page)
    page.locator("[data-agreement-languages] a[hreflang='en-US']").click()
    page.wait_for_url("**language=en-US")
    assert "en-US" in page.locator("pre.agreement-text").inner_text()
    assert_accessible(page)
    page.locator("input[name=accept_agreement]").check()
    page.locator("form[action$='/accept/'] button[type=submit]").click()
    page.wait_for_url("**/admin-center/partners/")
    assert Acceptance.objects.get().document_sha256 == cz_english.sha256
