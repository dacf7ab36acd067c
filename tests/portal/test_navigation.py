"""The left navigation: each site its own, each entry for the roles that may use it, and exactly
one entry marked as the current page (aria-current), the longest address that starts the
page's."""

import re

from django.urls import reverse


def current(html: str) -> list[str]:
    return re.findall(r'aria-current="page">([^<]+)</a>', html)


def links(html: str) -> list[str]:
    side = html.split('id="side-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'class="nav-link[^"]*" href="[^"]+"[^>]*>([^<]+)</a>', side)


def test_an_agent_sees_the_partner_navigation_with_the_page_marked(client, alice):
    client.force_login(alice)
    html = client.get(reverse("customers:list")).text
    assert links(html)[:2] == ["Dashboard", "Customers"]
    assert current(html) == ["Customers"]


def test_offers_is_current_on_offers_and_orders_on_orders(client, sam):
    client.force_login(sam)
    assert current(client.get(reverse("orders:offers")).text) == ["Offers"]
    assert current(client.get(reverse("orders:list")).text) == ["Orders"]


def test_a_page_below_an_entry_marks_that_entry(client, alice, acme):
    client.force_login(alice)
    html = client.get(reverse("customers:detail", args=[acme.tenant_id])).text
    assert current(html) == ["Customers"]


def test_an_entry_is_shown_only_to_the_roles_that_may_use_it(client, hana):
    client.force_login(hana)  # helpdesk: may not invite
    assert "Invitations" not in links(client.get(reverse("customers:list")).text)


def test_a_customer_admin_sees_the_admin_center_navigation(client, acme_admin):
    client.force_login(acme_admin)
    html = client.get(reverse("admin_center:home")).text
    assert links(html) == ["Home", "Partners"]
    assert current(html) == ["Home"]
    assert "Dashboard" not in html


def test_the_admin_center_home_is_not_current_on_a_partner_page(client, acme_admin, contoso):
    client.force_login(acme_admin)
    html = client.get(reverse("admin_center:partner_detail", args=[contoso.partner_id])).text
    assert current(html) == ["Partners"]


def test_no_navigation_for_someone_signed_out(client):
    html = client.get(reverse("login")).text
    assert 'id="side-nav"' not in html
    assert "Open navigation" not in html


def test_the_header_holds_the_identity_language_and_sign_out_in_czech(client, alice):
    client.force_login(alice)
    client.cookies["django_language"] = "cs"
    html = client.get(reverse("customers:list"), HTTP_ACCEPT_LANGUAGE="cs").text
    header = html.split("data-portal-header", 1)[1].split("</header>", 1)[0]
    assert alice.email in header and "Odhlásit se" in header and 'id="language-select"' in header
    assert "Otevřít navigaci" in header
    assert 'aria-current="page">Zákazníci<' in html


def test_every_table_scrolls_inside_its_own_box():
    """On a phone a wide table scrolls in its .table-responsive box (its first column held by
    portal.css), never the page. (The benchmark's bare anchor pages are no one's pages.)"""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    for path in root.rglob("*.html"):
        if path.parent.name == "bench":
            continue
        text = path.read_text()
        assert text.count("<table") <= text.count('class="table-responsive'), path
