"""R7: the customer admin's temporary password is shown once and stored only hashed."""

from django.contrib.auth.hashers import check_password
from django.urls import reverse
from django.utils.html import escape

from portal.models import User
from tests.customers.conftest import new_customer_data


def create(client):
    review = client.post(reverse("customers:new"), new_customer_data())["Location"]
    return client.post(review)["Location"]


def test_the_confirmation_page_shows_the_sign_in_name_and_a_strong_password(
    client, sam, template_cz
):
    client.force_login(sam)
    response = client.get(create(client))
    password = response.context["password"]
    assert response.status_code == 200
    assert "admin@wingtip.onmicrosoft.com" in response.text
    # The password may hold "&", which the page escapes like any other text.
    assert escape(password) in response.text
    assert len(password) >= 16
    assert any(c.isupper() for c in password) and any(c.isdigit() for c in password)
    assert "Copy to clipboard" in response.text


def test_the_password_is_stored_only_hashed(client, sam, template_cz):
    client.force_login(sam)
    password = client.get(create(client)).context["password"]
    admin = User.objects.get(email="admin@wingtip.onmicrosoft.com")
    assert password not in admin.password
    assert check_password(password, admin.password)


def test_reloading_the_confirmation_page_does_not_show_the_password_again(client, sam, template_cz):
    client.force_login(sam)
    url = create(client)
    password = client.get(url).context["password"]
    again = client.get(url)
    assert again.status_code == 200
    assert escape(password) not in again.text
    assert "was shown once and is no longer available" in again.text
    assert "customers:credentials_once" not in client.session


def test_the_confirmation_page_is_never_cached(client, sam, template_cz):
    client.force_login(sam)
    response = client.get(create(client))
    assert "no-store" in response["Cache-Control"]


def test_another_agent_of_the_same_partner_never_sees_the_password(client, sam, alice, template_cz):
    client.force_login(sam)
    url = create(client)
    client.logout()
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["password"] is None
