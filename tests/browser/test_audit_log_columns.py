"""The audit log's columns balanced: at 1280 px a usual address ("helpdesk@contoso.example")
stays on one line and the "IP address" header doesn't wrap, the Action column's words wrapping
instead; at 390 px the held "When" column is narrow (the addresses get the width) and the page
doesn't scroll sideways, only the table in its box. English and Czech, axe-clean."""

import pytest
from django.core.management import call_command

from demo.management.commands.demo import DEMO_PASSWORD
from portal.audit import record_audit
from portal.models import AuditAction, Partner, Role, User
from tests import factories as f
from tests.browser.support import assert_accessible, sign_in, switch_language

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
LONG = "maximiliana.konstantinova-dvorakova.obchodni@contoso-partner-international.example"

LINES = "element => Math.round(element.getBoundingClientRect().height / "
LINES += "parseFloat(getComputedStyle(element).lineHeight))"


def test_audit_log_columns_at_1280_and_390_px(live_server, page):
    call_command("demo", verbosity=0)
    contoso = Partner.objects.get(name="Contoso Partner")
    agent = f.AgentFactory(partner=contoso, email=LONG, role=Role.SALES_AGENT)
    record_audit(action=AuditAction.AGENT_INVITED, actor=agent, target=agent)
    admin = User.objects.get(email="admin@contoso.example")
    helpdesk = User.objects.get(email="helpdesk@contoso.example")
    record_audit(action=AuditAction.ROLE_CHANGED, actor=admin, target=helpdesk)
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server.url, "admin@contoso.example", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/agents/audit-log/")
    for language, ip in (("en", "IP address"), ("cs", "IP adresa")):
        switch_language(page, language)
        page.set_viewport_size(DESKTOP)
        short = page.locator("table [data-email]", has_text="helpdesk@contoso.example").first
        assert short.evaluate(LINES) == 1, short.inner_text()
        header = page.get_by_role("columnheader", name=ip)
        assert header.evaluate(LINES) == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
        fits = "box => box.firstElementChild.scrollWidth <= box.clientWidth"
        assert page.locator(".table-responsive").first.evaluate(fits)
        assert_accessible(page)

        page.set_viewport_size(PHONE)
        box = page.locator(".table-responsive").first
        box_width = box.evaluate("box => box.clientWidth")
        when = page.locator("table tbody tr td:first-child").first
        assert when.evaluate("td => td.getBoundingClientRect().width") <= box_width * 0.35
        assert short.evaluate(LINES) <= 2
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert box.evaluate("box => box.scrollWidth > box.clientWidth")
        assert_accessible(page)
    switch_language(page, "en")
