"""The invitations list in a real browser: search by customer without diacritics, filter by
kind, sort by expiry, in English and Czech, axe-clean."""

import datetime

import pytest
from django.utils import timezone

from invitations.models import InvitationKind
from tests import factories as f
from tests.browser.support import assert_accessible, sign_in, switch_language

pytestmark = pytest.mark.django_db(transaction=True)


def invitation(agent, name, **fields):
    customer = f.CustomerFactory(company_name=name)
    f.RelationshipFactory(partner=agent.partner, customer=customer)
    return f.InvitationFactory(partner=agent.partner, customer=customer, created_by=agent, **fields)


def rows(page) -> list[str]:
    cells = page.get_by_role("table").locator("tbody tr td:first-child a").all()
    return [cell.inner_text() for cell in cells]


def test_an_agent_searches_and_sorts_the_invitations(live_server, page, sam):
    now = timezone.now()
    invitation(sam, "Kovárna Horák", expires_at=now + datetime.timedelta(days=20))
    invitation(sam, "Horák Pekárna", expires_at=now + datetime.timedelta(days=2))
    invitation(sam, "Wingtip", kind=InvitationKind.RESELLER_RELATIONSHIP)
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    page.goto(f"{live_server.url}/invitations/")
    assert_accessible(page)

    search = page.get_by_role("search", name="Search and filter invitations")
    search.get_by_label("Customer").fill("horak")
    search.get_by_label("Sort by").select_option("expires")
    search.get_by_role("button", name="Search").click()
    page.wait_for_url("**q=horak**")
    assert "sort=expires" in page.url
    assert rows(page) == ["Horák Pekárna", "Kovárna Horák"]
    assert_accessible(page)

    switch_language(page, "cs")
    assert page.get_by_role("heading", level=1).inner_text() == "Pozvánky"
    assert rows(page) == ["Horák Pekárna", "Kovárna Horák"]
    search = page.get_by_role("search", name="Hledat a filtrovat pozvánky")
    search.get_by_label("Zákazník").fill("wingtip")
    search.get_by_role("button", name="Hledat").click()
    page.wait_for_url("**q=wingtip**")
    assert rows(page) == ["Wingtip"]
    assert_accessible(page)
