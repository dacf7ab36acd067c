"""The admin center's header shows the customer admin's sign-in name in full: a tester found a
long one cut short (an ellipsis) at 1280 px. It wraps at its seams instead (a <wbr> after the @
and before each dot), the title still holding it whole; the partner site's header likewise."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

LONG = "administrator.fakturace@vinarstvi-vesely-a-synove.onmicrosoft.com"
STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "portal" / "portal.css"


def identity(html: str) -> str:
    return re.search(r"<span[^>]*data-identity>(.*?)</span>\s*<form", html, re.DOTALL).group(1)


@pytest.mark.parametrize("language", ["en", "cs"])
def test_the_admin_center_header_holds_the_whole_sign_in_name(client, acme, language):
    admin = f.CustomerAdminFactory(customer=acme, email=LONG, must_change_password=False)
    client.force_login(admin)
    client.cookies["django_language"] = language
    html = client.get(reverse("admin_center:home"), HTTP_ACCEPT_LANGUAGE=language).text
    assert identity(html) == (
        '<span class="email" data-email>administrator<wbr>.fakturace@<wbr>'
        "vinarstvi-vesely-a-synove<wbr>.onmicrosoft<wbr>.com</span>"
    )
    assert f'title="{LONG}" data-identity' in html


def test_the_partner_sites_header_too(client, contoso):
    agent = f.AgentFactory(partner=contoso, email="bartholomew.featherstonehaugh@contoso.example")
    client.force_login(agent)
    html = client.get(reverse("customers:list")).text
    assert identity(html).startswith('<span class="email" data-email>bartholomew<wbr>')


def test_the_stylesheet_no_longer_cuts_the_identity_short():
    rules = re.findall(r"\.header-identity\s*\{([^}]*)\}", STYLESHEET.read_text())
    assert rules
    for rule in rules:
        assert "ellipsis" not in rule and "max-width: 14rem" not in rule
        assert "max-width: 20rem" not in rule and "nowrap" not in rule
