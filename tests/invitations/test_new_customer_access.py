"""R2: only admin and sales agents create customers; the URLs themselves answer 403."""

import pytest
from django.urls import reverse

from tests.customers.conftest import new_customer_data, row_counts

NEW = reverse("customers:new")
REVIEW = reverse("customers:review", args=["00000000-0000-4000-8000-000000000000"])
DOMAIN_CHECK = reverse("customers:domain_availability")


@pytest.mark.parametrize("persona", ["hana", "bill"])
@pytest.mark.parametrize("url", [NEW, REVIEW, DOMAIN_CHECK])
def test_helpdesk_and_billing_get_403_on_every_new_customer_url(request, client, persona, url):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_helpdesk_and_billing_cannot_post_a_new_customer(request, client, template_cz, persona):
    client.force_login(request.getfixturevalue(persona))
    before = row_counts()
    assert client.post(NEW, new_customer_data()).status_code == 403
    assert client.post(REVIEW).status_code == 403
    assert row_counts() == before


def test_customer_admin_cannot_create_customers(client, acme_admin):
    client.force_login(acme_admin)
    assert client.get(NEW).status_code == 403


def test_the_confirmation_page_of_another_partners_customer_is_not_found(client, alice, globex):
    client.force_login(alice)
    response = client.get(reverse("customers:created", args=[globex.tenant_id]))
    assert response.status_code == 404
