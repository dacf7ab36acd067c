"""Personas and shared fixtures.

Contoso (direct-bill): Alice admin, Sam sales, Hana helpdesk, Bill billing.
Fabrikam (indirect provider) with its reseller Northwind; Litware is another
direct-bill partner whose customers nobody else may see.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.backends.signals import connection_created
from django.utils import translation

from invitations.email import token_from_link
from invitations.models import InvitationKind
from invitations.services import create_invitation
from orders.models import Order
from portal.models import PartnerKind, Role
from tests import factories as f


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A Czech request leaves Czech active in the test's thread (LocaleMiddleware activates it
    and nothing deactivates it): the next test starts in the default language whatever ran."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _no_search_sample():
    """No sample of the search texts (customers.trigrams), as in a database never analysed: a
    process keeps one for an hour, and a test's statistics go with its rolled-back
    transaction, so none would be another test's. A test that gathers statistics reads them
    with trigrams.forget()."""
    from customers import trigrams

    trigrams.keep(None)
    yield
    trigrams.forget()


def _allow_flushing_evidence(sender, connection, **kwargs):
    """PostgreSQL's evidence triggers refuse TRUNCATE, which transactional tests' flush uses;
    they let a superuser session through when it asks by name (agreements migration 0005)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET mca.allow_evidence_truncate = 'on'")


connection_created.connect(_allow_flushing_evidence)


@pytest.fixture
def contoso(db):
    return f.PartnerFactory(name="Contoso Partner", kind=PartnerKind.DIRECT_BILL)


@pytest.fixture
def litware(db):
    return f.PartnerFactory(name="Litware Cloud", kind=PartnerKind.DIRECT_BILL)


@pytest.fixture
def fabrikam(db):
    return f.ProviderFactory(name="Fabrikam Distribution")


@pytest.fixture
def northwind(fabrikam):
    return f.ResellerFactory(name="Northwind Reseller", provider=fabrikam)


@pytest.fixture
def alice(contoso):
    return f.AgentFactory(
        email="alice@contoso.example", first_name="Alice", partner=contoso, role=Role.ADMIN_AGENT
    )


@pytest.fixture
def sam(contoso):
    return f.AgentFactory(
        email="sam@contoso.example", first_name="Sam", partner=contoso, role=Role.SALES_AGENT
    )


@pytest.fixture
def hana(contoso):
    return f.AgentFactory(
        email="hana@contoso.example", first_name="Hana", partner=contoso, role=Role.HELPDESK_AGENT
    )


@pytest.fixture
def bill(contoso):
    return f.AgentFactory(
        email="bill@contoso.example", first_name="Bill", partner=contoso, role=Role.BILLING_ADMIN
    )


@pytest.fixture
def frank(fabrikam):
    """Admin agent of the indirect provider."""
    return f.AgentFactory(
        email="frank@fabrikam.example", first_name="Frank", partner=fabrikam, role=Role.ADMIN_AGENT
    )


@pytest.fixture
def nora(northwind):
    """Sales agent of the indirect reseller."""
    return f.AgentFactory(
        email="nora@northwind.example", first_name="Nora", partner=northwind, role=Role.SALES_AGENT
    )


@pytest.fixture
def lisa(litware):
    """Admin agent of another partner."""
    return f.AgentFactory(
        email="lisa@litware.example", first_name="Lisa", partner=litware, role=Role.ADMIN_AGENT
    )


@pytest.fixture
def operator(db):
    return f.OperatorFactory(email="operator@mca.example")


@pytest.fixture
def template_cz(db):
    """The latest published MCA with a Czech document."""
    document = f.AgreementDocumentFactory(country="CZ", language="cs-CZ")
    f.AgreementDocumentFactory(template=document.template, country="US", language="en-US")
    return document.template


@pytest.fixture
def acme(contoso, template_cz):
    """A Contoso customer in Czechia with nothing on record."""
    customer = f.CustomerFactory(company_name="Acme s.r.o.", domain="acme.onmicrosoft.com")
    f.RelationshipFactory(partner=contoso, customer=customer)
    return customer


@pytest.fixture
def acme_admin(acme):
    return f.CustomerAdminFactory(customer=acme, must_change_password=False)


@pytest.fixture
def globex(litware, template_cz):
    """Litware's customer: Contoso must never see it."""
    customer = f.CustomerFactory(company_name="Globex", domain="globex.onmicrosoft.com")
    f.RelationshipFactory(partner=litware, customer=customer)
    return customer


@pytest.fixture
def initech(northwind, template_cz):
    """A customer of the reseller Northwind (visible to Fabrikam too)."""
    customer = f.CustomerFactory(company_name="Initech", domain="initech.onmicrosoft.com")
    f.RelationshipFactory(partner=northwind, customer=customer)
    return customer


@pytest.fixture
def demo_world(db):
    call_command("demo", verbosity=0)


def pytest_collection_modifyitems(config, items):
    """Browser tests need Chromium; without it they are skipped, loudly."""
    from tests.browser.support import CHROMIUM

    skip = pytest.mark.skip(
        reason="Chromium is not installed (apt-get install -y chromium): browser test SKIPPED"
    )
    for item in items:
        if "browser" in item.path.parts:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM:
                item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _close_stray_postgres_sessions(django_db_setup, django_db_blocker):
    """Let the test database be dropped: end sessions that worker threads left behind.

    Threads (live server requests, concurrency tests) each open their own
    connection; one still open at the end would make DROP DATABASE fail.
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


# --- invitations: one with its raw link in hand, as the email would carry it -----------


def path_of(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def invite(sam):
    """invite(customer, kind=..., agent=...) -> (invitation, path of its link, raw token)."""

    def make(customer, kind=InvitationKind.EXISTING_CUSTOMER, agent=None):
        agent = agent or sam
        invitation, link = create_invitation(
            partner=agent.partner, customer=customer, kind=kind, created_by=agent
        )
        return invitation, path_of(link), token_from_link(link)

    return make


@pytest.fixture
def acme_invitation(invite, acme):
    return invite(acme)


@pytest.fixture
def order_for():
    """order_for(customer, partner, auto_renewal=False): an earlier purchase."""

    def make(customer, partner, auto_renewal=False) -> Order:
        if not auto_renewal:
            order = f.OrderFactory(customer=customer, partner=partner)
            f.OrderLineFactory(order=order)
            return order
        # A renewal must name the order it renews; keeping that original on another tenant
        # leaves this customer with nothing but an auto-renewal.
        original = f.OrderFactory(customer=f.CustomerFactory(), partner=partner)
        renewal = f.OrderFactory(
            customer=customer, partner=partner, is_auto_renewal=True, renews=original
        )
        f.OrderLineFactory(order=renewal)
        return renewal

    return make
