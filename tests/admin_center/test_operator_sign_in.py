"""Operators who reach the admin center's sign-in are pointed to /admin/."""

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/admin-center/login/"


def test_an_operator_is_pointed_to_the_django_admin(client, operator):
    response = client.post(URL, {"username": operator.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "This sign-in is for customer admins. Operators sign in at /admin/." in response.text
    assert "Partner agents sign in to the partner portal" not in response.text
    assert "_auth_user_id" not in client.session


def test_an_agent_is_still_pointed_to_the_partner_portal(client, alice):
    response = client.post(URL, {"username": alice.email, "password": PASSWORD})
    assert (
        "This sign-in is for customer admins. Partner agents sign in to the partner portal."
        in response.text
    )
    assert "Operators sign in at /admin/." not in response.text
    assert "_auth_user_id" not in client.session


def test_a_customer_admin_signs_in(client, acme_admin):
    response = client.post(URL, {"username": acme_admin.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/admin-center/"
