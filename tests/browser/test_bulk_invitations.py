"""Bulk invitations in a real browser, in English and Czech: tick customers on the list, preview,
start the job, see the results; every page axe-clean."""

import pytest
from django.core import mail

from tests import factories as f
from tests.browser.support import assert_accessible, sign_in, switch_language
from tests.invitations.bulk_helpers import customer_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_agent_invites_selected_customers_in_bulk(live_server, page, sam, template_cz):
    customer_of(sam.partner, "Kovárna Horák s.r.o.")
    customer_of(sam.partner, "Pekárna Nováková")
    customer_of(sam.partner, "Attested Co", "attested")
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    page.goto(f"{live_server.url}/customers/")
    assert_accessible(page)
    page.get_by_label("Select Kovárna Horák s.r.o.").check()
    page.get_by_label("Select Attested Co").check()
    page.get_by_role("button", name="Invite to accept the MCA in the admin center").click()
    page.get_by_role("heading", name="Preview: invite in bulk").wait_for()
    assert_accessible(page)
    assert "1 will be invited, 1 skipped." in page.content()
    page.get_by_role("button", name="Start the job").click()
    page.get_by_role("heading", name="Bulk invitations").wait_for()
    assert_accessible(page)
    assert page.locator("progress").get_attribute("value") == "100"
    assert page.get_by_role("link", name="Download the results (CSV)").is_visible()
    assert "Kovárna Horák s.r.o." in page.content()
    assert len(mail.outbox) == 1

    switch_language(page, "cs")
    page.goto(f"{live_server.url}/customers/?q=pekarna")
    assert_accessible(page)
    page.locator("#bulk-all-matching").check()
    page.get_by_role("button", name="Pozvat k přijetí smlouvy MCA v Centru pro správu").click()
    page.get_by_role("heading", name="Náhled: hromadné pozvání").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Spustit úlohu").click()
    page.get_by_role("heading", name="Hromadná pozvání").wait_for()
    assert_accessible(page)
    assert "Pekárna Nováková" in page.content()
    assert page.get_by_role("link", name="Stáhnout výsledky (CSV)").is_visible()
    assert len(mail.outbox) == 2
