"""The forced first-sign-in change must replace the password the partner handed over."""

import pytest

from tests import factories as f
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/admin-center/password/"
NEW_PASSWORD = "Zelena-Louka-42-Kvete"
KEEPS_THE_TEMPORARY = "Your partner knows the temporary password, so you can&#x27;t keep it."


@pytest.fixture
def fresh_admin(acme):
    return f.CustomerAdminFactory(customer=acme, must_change_password=True)


def change(client, old, new, confirmation=None):
    return client.post(
        URL,
        {
            "old_password": old,
            "new_password1": new,
            "new_password2": new if confirmation is None else confirmation,
        },
    )


def test_the_temporary_password_is_refused_as_the_new_one(client, fresh_admin):
    client.post("/admin-center/login/", {"username": fresh_admin.email, "password": PASSWORD})
    response = change(client, PASSWORD, PASSWORD)
    assert response.status_code == 400
    assert KEEPS_THE_TEMPORARY in response.text
    assert "Your password has been changed" not in response.text
    fresh_admin.refresh_from_db()
    assert fresh_admin.must_change_password
    assert fresh_admin.check_password(PASSWORD)


def test_after_the_refusal_the_other_pages_still_ask_for_a_new_password(client, fresh_admin):
    client.force_login(fresh_admin)
    change(client, PASSWORD, PASSWORD)
    for page in ("/admin-center/", "/admin-center/partners/"):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"] == f"{URL}?next={page}"


def test_the_error_sits_on_the_new_password_field(client, fresh_admin):
    client.force_login(fresh_admin)
    response = change(client, PASSWORD, PASSWORD)
    form = response.context["form"]
    assert form.has_error("new_password1", code="same_as_temporary")
    assert not form.has_error("old_password")


def test_a_different_valid_password_is_accepted(client, fresh_admin):
    client.force_login(fresh_admin)
    response = change(client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin-center/"
    fresh_admin.refresh_from_db()
    assert not fresh_admin.must_change_password
    assert fresh_admin.check_password(NEW_PASSWORD)
    assert not fresh_admin.check_password(PASSWORD)
    page = client.get("/admin-center/", follow=True)
    assert page.status_code == 200
    assert "Your password has been changed." in page.text
    assert client.get("/admin-center/partners/").status_code == 200


def test_a_later_change_may_not_repeat_the_current_password_either(client, acme_admin):
    client.force_login(acme_admin)
    response = change(client, PASSWORD, PASSWORD)
    assert response.status_code == 400
    assert "Choose a password different from your current one." in response.text
    acme_admin.refresh_from_db()
    assert acme_admin.check_password(PASSWORD)


def test_a_wrong_old_password_is_still_refused(client, fresh_admin):
    client.force_login(fresh_admin)
    response = change(client, "not-the-password", NEW_PASSWORD)
    assert response.status_code == 400
    assert response.context["form"].has_error("old_password", code="password_incorrect")
    fresh_admin.refresh_from_db()
    assert fresh_admin.must_change_password
    assert fresh_admin.check_password(PASSWORD)


def test_an_agent_cannot_use_the_admin_center_password_change(client, sam):
    client.force_login(sam)
    response = change(client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 403
    sam.refresh_from_db()
    assert sam.check_password(PASSWORD)


def test_the_first_change_asks_for_the_temporary_password_by_that_name(client, acme_admin):
    acme_admin.must_change_password = True
    acme_admin.save(update_fields=["must_change_password"])
    client.force_login(acme_admin)
    page = client.get("/admin-center/password/").text
    assert "Temporary password" in page
