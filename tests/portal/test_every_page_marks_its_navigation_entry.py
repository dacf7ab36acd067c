"""Each partner page marks exactly one entry of the left navigation as current
(aria-current="page"): the entry its breadcrumb starts from. A tester found Request a reseller
relationship (a Customers action, under /invitations/) marking Invitations."""

import datetime
import re

import pytest
from django.urls import URLResolver, get_resolver, reverse

from signing import services as signing_services
from signing.selectors import document_in_force
from tests import factories as f


def current(html: str) -> list[str]:
    side = html.split('id="side-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'aria-current="page">([^<]+)</a>', side)


@pytest.fixture
def pages(acme, alice, sam, order_for, acme_invitation, template_cz):
    order = order_for(acme, acme.relationships.get().partner)
    signing_request, _token = signing_services.start_signing(
        customer=acme,
        partner=sam.partner,
        started_by=sam,
        signatory=signing_services.Signatory("Jana", "Nováková", "jana@acme.example", "", "CFO"),
        document=document_in_force("US", "en-US"),
    )
    campaign = f.AgreementTemplateFactory(
        version_rank=template_cz.version_rank + 1,
        requires_reacceptance=True,
        reacceptance_deadline=datetime.date.today() + datetime.timedelta(days=30),
    )
    f.AgreementDocumentFactory(template=campaign, country="CZ")
    tenant = acme.tenant_id
    return {
        "dashboard": ((), "Dashboard"),
        "portfolio:refusals": ((), "Dashboard"),
        "customers:list": ((), "Customers"),
        "customers:detail": ((tenant,), "Customers"),
        "customers:edit": ((tenant,), "Customers"),
        "customers:new": ((), "Customers"),
        "customers:attest": ((tenant,), "Customers"),
        "orders:customer_orders": ((tenant,), "Customers"),
        "orders:new": ((tenant,), "Customers"),
        "invitations:request_relationship": ((), "Customers"),
        "signing:start": ((tenant,), "Customers"),
        "signing:link": ((signing_request.public_id,), "Customers"),
        "invitations:list": ((), "Invitations"),
        "invitations:compose": ((acme_invitation[0].public_id,), "Invitations"),
        "invitations:revoke": ((acme_invitation[0].public_id,), "Invitations"),
        "bulk:list": ((), "Bulk jobs"),
        "bulk:upload": ((), "Bulk jobs"),
        "campaigns:list": ((), "Campaigns"),
        "campaigns:detail": ((campaign.template_id,), "Campaigns"),
        "orders:list": ((), "Orders"),
        "orders:detail": ((order.order_id,), "Orders"),
        "orders:choose_customer": ((), "Orders"),
        "orders:new_chosen": ((tenant,), "Orders"),
        "orders:offers": ((), "Offers"),
        "agreements:templates": ((), "Agreement templates"),
        "tokens:list": ((), "API tokens"),
        "agents:list": ((), "Agents"),
        "agents:detail": ((alice.pk,), "Agents"),
        "agents:audit": ((), "Audit log"),
        "agents:profile": ((), "Partner profile"),
        "signing:framing": ((), "Partner profile"),
    }


def test_each_page_marks_the_entry_it_belongs_to(client, alice, pages):
    client.force_login(alice)  # an admin agent: sees every entry
    marked = {}
    for name, (args, _entry) in pages.items():
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        marked[name] = current(response.text)
    assert marked == {name: [entry] for name, (_args, entry) in pages.items()}


def test_request_a_reseller_relationship_marks_customers_not_invitations(client, sam):
    client.force_login(sam)
    html = client.get(reverse("invitations:request_relationship")).text
    assert current(html) == ["Customers"]
    assert 'aria-current="page">Invitations<' not in html


def test_in_czech_request_a_reseller_relationship_marks_zakaznici(client, sam):
    client.force_login(sam)
    client.cookies["django_language"] = "cs"
    html = client.get(reverse("invitations:request_relationship"), HTTP_ACCEPT_LANGUAGE="cs").text
    assert current(html) == ["Zákazníci"]


def test_notifications_belong_to_no_entry(client, sam):
    client.force_login(sam)
    assert current(client.get(reverse("alerts:list")).text) == []


def _view_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _view_names(
                pattern.url_patterns,
                namespace + (f"{pattern.namespace}:" if pattern.namespace else ""),
            )
        elif pattern.name:
            yield namespace + pattern.name


def test_every_section_is_a_page_of_the_portal_and_names_an_entry_of_the_navigation():
    from portal.context_processors import AGENT_NAVIGATION, SECTION_OF_PAGE

    entries = {name for name, _label, _predicate in AGENT_NAVIGATION}
    assert set(SECTION_OF_PAGE.values()) <= entries
    assert set(SECTION_OF_PAGE) <= set(_view_names(get_resolver().url_patterns))
