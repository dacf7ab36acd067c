"""People get a page that says what happened and what to do, in their language."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests import factories as f


@pytest.fixture
def production_errors(settings):
    """The friendly pages are what people see with DEBUG off (as in production)."""
    settings.DEBUG = False


def test_an_agent_whose_role_may_not_gets_a_page_that_says_why(client, hana, production_errors):
    client.force_login(hana)
    response = client.get(reverse("customers:new"))
    assert response.status_code == 403
    assert "<h1" in response.text and "Access denied" in response.text
    assert "Helpdesk agent" in response.text and "Contoso" in response.text
    assert reverse("dashboard") in response.text


def test_a_customer_admin_on_partner_pages_is_pointed_to_the_admin_center(
    client, acme_admin, production_errors
):
    client.force_login(acme_admin)
    response = client.get(reverse("customers:list"))
    assert response.status_code == 403
    assert reverse("admin_center:home") in response.text


def test_an_agent_in_the_admin_center_gets_a_page_too(client, alice, production_errors):
    client.force_login(alice)
    response = client.get(reverse("admin_center:partners"))
    assert response.status_code == 403
    assert "Access denied" in response.text


def test_the_operator_at_the_agent_sign_in_is_pointed_to_the_operators_admin(client, operator):
    response = client.post(reverse("login"), {"username": operator.email, "password": f.PASSWORD})
    assert response.status_code == 200
    assert "Operators sign in at /admin/." in response.text


def test_an_unknown_address_gets_a_page_not_found(client, alice, production_errors):
    client.force_login(alice)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "Sign out" in response.text  # the portal's own layout, not a bare page


def test_a_get_to_a_form_only_address_explains_and_changes_nothing(client, alice):
    client.force_login(alice)
    response = client.get(reverse("logout"))
    assert response.status_code == 405
    assert "Use the button on the page" in response.text
    assert "POST" in response["Allow"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    # Still signed in: the GET changed nothing.
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_api_keeps_its_json_405(client, alice):
    from portal.models import ApiToken

    _token, secret = ApiToken.issue(user=alice, name="t")
    response = client.put("/v1/customers", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")


def test_the_error_pages_are_in_czech_for_czech_users(client, hana, production_errors):
    client.force_login(hana)
    client.cookies["django_language"] = "cs"
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Stránka nenalezena" in response.text


@override_settings(DEBUG=False)
def test_a_server_error_gets_a_standalone_page():
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("en"):
        html = render_to_string("500.html")
    assert "Something went wrong" in html and '<html lang="en' in html
    with translation.override("cs"):
        assert "Něco se pokazilo" in render_to_string("500.html")


def test_an_expired_form_gets_its_own_page(alice, production_errors):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    assert "The form has expired" in response.text


def test_every_page_carries_a_content_security_policy(client, alice):
    client.force_login(alice)
    policy = client.get(reverse("dashboard"))["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";", 1)[0]


def test_only_the_api_docs_run_their_vendors_inline_script(client):
    policy = client.get("/v1/docs/")["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in policy


def test_admin_center_error_pages_keep_the_admin_centers_look(
    client, acme_admin, production_errors
):
    client.force_login(acme_admin)
    response = client.get("/admin-center/no-such-page/")
    assert response.status_code == 404
    assert "Admin center for customers of CSP partners." in response.text
    assert client.get("/no-such-page/").text.count("Admin center for customers") == 0


def test_the_lockout_and_sign_in_redirect_carry_the_policy_too(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert "Content-Security-Policy" in response
