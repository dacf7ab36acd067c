"""An agent downloads a record's signed receipt from Account info; it verifies offline."""

import json

import pytest

from agreements import signing
from agreements.evidence import verify_receipt
from tests import factories as f
from tests.browser.support import assert_accessible, sign_in, switch_language

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_agent_downloads_a_receipt_that_verifies_with_the_published_key(
    live_server, page, hana, acme, alice
):
    record = f.attest(acme, alice)
    sign_in(page, live_server.url, hana.email, f.PASSWORD)
    page.goto(f"{live_server.url}/customers/{acme.tenant_id}/")
    history = page.get_by_role("table", name="History")
    assert history.get_by_role("columnheader", name="Signed receipt").is_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        history.get_by_role("link", name="Download").click()
    receipt = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert download.value.suggested_filename == f"mca-acceptance-receipt-{record.public_id}.json"

    keys = page.request.get(f"{live_server.url}/.well-known/mca-evidence-keys.json")
    published = signing.load_public_keys(keys.body())
    assert verify_receipt(receipt, published) == []
    receipt["record"]["dateAgreed"] = "2020-01-02"
    assert verify_receipt(receipt, published)

    switch_language(page, "cs")
    assert page.get_by_role("columnheader", name="Podepsané potvrzení").is_visible()
    assert_accessible(page)
