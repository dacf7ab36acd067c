import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, email, password=PASSWORD, url="/login/"):
    return client.post(url, {"username": email, "password": password})


def test_an_agent_signs_in_and_lands_on_the_dashboard(client, alice):
    response = sign_in(client, alice.email)
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    page = client.get(response.url)
    assert "Welcome, Alice" in page.content.decode()
    assert "signed in as admin agent of Contoso Partner" in page.content.decode()


def test_sign_in_is_case_insensitive_on_the_email(client, alice):
    assert sign_in(client, alice.email.upper()).status_code == 302


def test_a_wrong_password_is_refused_with_a_message(client, alice):
    response = sign_in(client, alice.email, "nope-nope-nope")
    assert response.status_code == 200
    assert "Enter a correct email address and password." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_customer_admin_cannot_sign_in_as_an_agent(client, acme_admin):
    response = sign_in(client, acme_admin.email)
    assert response.status_code == 200
    assert "Customer admins sign in at the admin center" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_agent_cannot_sign_in_to_the_admin_center(client, alice):
    response = sign_in(client, alice.email, url="/admin-center/login/")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_customer_admin_signs_in_to_the_admin_center(client, acme_admin):
    response = sign_in(client, acme_admin.email, url="/admin-center/login/")
    assert response.status_code == 302
    assert response.url == reverse("admin_center:home")


def test_pages_are_denied_by_default_to_anonymous_visitors(client, db):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_admin_center_pages_send_anonymous_visitors_to_the_admin_center_sign_in(client, db):
    response = client.get(reverse("admin_center:home"))
    assert response.status_code == 302
    assert response.url.startswith("/admin-center/login/")


def test_a_customer_admin_never_reaches_the_dashboard(client, acme_admin):
    client.force_login(acme_admin)
    assert client.get(reverse("dashboard")).status_code == 403


def test_an_agent_never_reaches_the_admin_center(client, alice):
    client.force_login(alice)
    assert client.get(reverse("admin_center:home")).status_code == 403


def test_an_operator_without_a_partner_gets_403_on_the_dashboard(client, operator):
    client.force_login(operator)
    assert client.get(reverse("dashboard")).status_code == 403


def test_sign_out_is_a_post_and_ends_the_session(client, alice):
    client.force_login(alice)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_the_dashboard_shows_only_what_the_role_may_use(client, hana, alice):
    client.force_login(hana)
    hana_page = client.get(reverse("dashboard")).content.decode()
    client.force_login(alice)
    alice_page = client.get(reverse("dashboard")).content.decode()
    assert "helpdesk agent of Contoso Partner" in hana_page
    if reverse_or_none("invitations:list"):
        assert reverse("invitations:list") in alice_page
        assert reverse("invitations:list") not in hana_page


def test_a_reseller_is_told_its_provider_attests(client, nora):
    client.force_login(nora)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Fabrikam Distribution" in page


def test_the_dashboard_has_a_bounded_number_of_queries(
    client, alice, django_assert_max_num_queries
):
    client.force_login(alice)
    # Sign-in's three, the portfolio's overview (3) and queue (4 to 6); tests/portfolio holds
    # the sections' own budgets at two data sizes.
    with django_assert_max_num_queries(14):
        client.get(reverse("dashboard"))


def test_the_home_page_routes_each_kind_of_user(client, alice, acme_admin):
    assert client.get("/").url == reverse("login")
    client.force_login(alice)
    assert client.get("/").url == reverse("dashboard")
    client.force_login(acme_admin)
    assert client.get("/").url == reverse("admin_center:home")


def test_the_language_switcher_turns_the_ui_czech(client, alice):
    client.force_login(alice)
    client.post(reverse("set_language"), {"language": "cs", "next": "/dashboard/"})
    page = client.get(reverse("dashboard")).content.decode()
    assert 'lang="cs"' in page
    assert "Vítejte" in page


def reverse_or_none(name):
    from django.urls import NoReverseMatch

    try:
        return reverse(name)
    except NoReverseMatch:
        return None
