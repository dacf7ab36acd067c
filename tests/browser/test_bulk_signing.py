"""Signing links in bulk in a real browser, in English and Czech: tick customers on the list,
preview whom each link goes to, start the job, see the results; a queue row of a declined link
on the dashboard; every page axe-clean."""

import pytest
from django.core import mail

from tests import factories as f
from tests.browser.support import assert_accessible, sign_in, switch_language
from tests.invitations.bulk_helpers import customer_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_agent_sends_signing_links_in_bulk(live_server, page, sam, template_cz):
    customer_of(sam.partner, "Kovárna Horák s.r.o.")
    customer_of(sam.partner, "Pekárna Nováková")
    customer_of(sam.partner, "No Email Co", contact_email="")
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    page.goto(f"{live_server.url}/customers/")
    assert_accessible(page)
    page.get_by_label("Select Kovárna Horák s.r.o.").check()
    page.get_by_label("Select No Email Co").check()
    page.get_by_role("button", name="Send signing links").click()
    page.get_by_role("heading", name="Preview: signing links in bulk").wait_for()
    assert_accessible(page)
    assert "1 will get a signing link, 1 skipped." in page.content()
    page.get_by_label("Whoever accepted last for the customer").check()
    page.get_by_role("button", name="Update the preview").click()
    page.get_by_role("heading", name="Preview: signing links in bulk").wait_for()
    assert "1 will get a signing link, 1 skipped." in page.content()
    page.get_by_role("button", name="Start the job").click()
    page.get_by_role("heading", name="Signing links in bulk").wait_for()
    assert_accessible(page)
    assert page.locator("progress").get_attribute("value") == "100"
    assert page.get_by_role("link", name="Download the results (CSV)").is_visible()
    assert "Kovárna Horák s.r.o." in page.content()
    assert len(mail.outbox) == 1

    switch_language(page, "cs")
    page.goto(f"{live_server.url}/customers/?q=pekarna")
    assert_accessible(page)
    page.locator("#bulk-all-matching").check()
    page.get_by_role("button", name="Poslat odkazy k podpisu").click()
    page.get_by_role("heading", name="Náhled: hromadné odkazy k podpisu").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Spustit úlohu").click()
    page.get_by_role("heading", name="Hromadné odkazy k podpisu").wait_for()
    assert_accessible(page)
    assert "Pekárna Nováková" in page.content()
    assert page.get_by_role("link", name="Stáhnout výsledky (CSV)").is_visible()
    assert len(mail.outbox) == 2


def test_a_declined_link_waits_in_the_dashboards_queue_and_is_resent(
    live_server, page, sam, acme
):
    from django.utils import timezone

    from signing import services
    from signing.models import SigningRequest, SigningStatus
    from signing.selectors import document_in_force

    request, _token = services.start_signing(
        customer=acme,
        partner=sam.partner,
        started_by=sam,
        signatory=services.Signatory("Jana", "Nováková", "jana@acme.example"),
        document=document_in_force("CZ", "cs-CZ"),
    )
    SigningRequest.objects.filter(pk=request.pk).update(
        status=SigningStatus.DECLINED, declined_at=timezone.now(), decline_reason="Wrong person."
    )
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_role("heading", name="Signing links declined, expired or revoked").wait_for()
    assert "Wrong person." in page.content()
    assert_accessible(page)
    switch_language(page, "cs")
    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_role("heading", name="Odmítnuté, prošlé nebo odvolané odkazy k podpisu").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Poslat znovu s novým odkazem").click()
    page.wait_for_load_state()
    assert_accessible(page)
    request.refresh_from_db()
    assert request.replaced_by is not None
    assert "/signing/sign/" in page.content()
