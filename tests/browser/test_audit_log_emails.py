"""The audit log's By and Target columns at 1280 and 390 px, in English and Czech: a long email
address wraps only at its seams (after the @, before a dot), stays whole inside its cell, and
the page doesn't scroll sideways (a wide table scrolls in its own box); axe-clean."""

import pytest
from django.core.management import call_command

from demo.management.commands.demo import DEMO_PASSWORD
from portal.audit import record_audit
from portal.models import AuditAction, Partner, Role
from tests import factories as f
from tests.browser.support import assert_accessible, sign_in, switch_language

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
LONG = "bartholomew.featherstonehaugh@contoso-partner-services.example"

# Where each address's lines break: the characters either side of each break.
LINE_BREAKS = """element => {
  const chars = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (rect) chars.push([node.data[i], rect.top]);
    }
  }
  const breaks = [];
  for (let i = 1; i < chars.length; i++) {
    if (chars[i][1] > chars[i - 1][1] + 2) breaks.push(chars[i - 1][0] + chars[i][0]);
  }
  return breaks;
}"""


def assert_addresses_wrap_only_at_their_seams(page) -> None:
    emails = page.locator("table [data-email]")
    assert emails.count() >= 2
    for index in range(emails.count()):
        email = emails.nth(index)
        for pair in email.evaluate(LINE_BREAKS):
            # After the @, before a dot, or after a hyphen the address itself holds.
            assert pair[0] in "@-" or pair[1] == ".", (email.inner_text(), pair)
        cell = email.locator("xpath=ancestor::td[1]")
        widths = cell.evaluate("td => [td.scrollWidth, td.clientWidth]")
        assert widths[0] <= widths[1], (email.inner_text(), widths)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_long_addresses_in_the_audit_log_wrap_at_their_seams(live_server, page):
    call_command("demo", verbosity=0)
    contoso = Partner.objects.get(name="Contoso Partner")
    agent = f.AgentFactory(partner=contoso, email=LONG, role=Role.SALES_AGENT)
    record_audit(action=AuditAction.AGENT_INVITED, actor=agent, target=agent)
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server.url, "admin@contoso.example", DEMO_PASSWORD)
    page.wait_for_url("**/dashboard/")
    page.goto(f"{live_server.url}/agents/audit-log/")
    for language in ("en", "cs"):
        switch_language(page, language)
        for size in (DESKTOP, PHONE):
            page.set_viewport_size(size)
            assert page.locator(
                "table [data-email]", has_text="featherstonehaugh"
            ).first.is_visible()
            assert_addresses_wrap_only_at_their_seams(page)
            assert_accessible(page)
    switch_language(page, "en")
