"""Account info's history a page at a time: the links to older and newer records are a
labelled navigation, keyboard-reachable, axe-clean in English and Czech, and a receipt on a
later page still downloads (issue 11)."""

import json

import pytest

from tests import factories as f
from tests.browser.support import assert_accessible, sign_in, switch_language

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_agent_pages_back_to_the_oldest_record_and_downloads_its_receipt(
    live_server, page, hana, acme, alice
):
    records = f.attest_many(acme, alice, 45)
    sign_in(page, live_server.url, hana.email, f.PASSWORD)
    page.goto(f"{live_server.url}/customers/{acme.tenant_id}/")
    history = page.get_by_role("table", name="History")
    pages = page.get_by_role("navigation", name="Pages of the history")
    assert history.get_by_role("row").count() == 1 + 20
    assert pages.get_by_text("Records 1–20 of 45").is_visible()
    assert_accessible(page)

    pages.get_by_role("link", name="Older records").click()
    pages.get_by_role("link", name="Older records").press("Enter")
    page.wait_for_url("**history=3**")
    assert history.get_by_role("row").count() == 1 + 5
    assert history.get_by_text("Record0001").is_visible()
    assert pages.get_by_role("link", name="Older records").count() == 0
    assert pages.get_by_role("link", name="Newer records").is_visible()

    with page.expect_download() as download:
        history.get_by_role("row").last.get_by_role("link", name="Download").click()
    receipt = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert receipt["record"]["recordId"] == str(records[0].public_id)

    switch_language(page, "cs")
    pages = page.get_by_role("navigation", name="Stránky historie")
    assert pages.get_by_role("link", name="Novější záznamy").is_visible()
    assert_accessible(page)
