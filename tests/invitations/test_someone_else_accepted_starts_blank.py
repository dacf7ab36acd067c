"""New customer → "someone else accepted": that person starts blank and is exactly what the agent
entered. Nothing of the primary contact (a phone, say) rides along unseen."""

import re

from django.urls import reverse

from agreements.models import Acceptance
from tests.customers.conftest import new_customer_data, row_counts

NEW = reverse("customers:new")


def test_the_someone_else_fields_start_empty(client, sam, template_cz):
    client.force_login(sam)
    page = client.get(NEW).text
    for name in ("accepted_first_name", "accepted_last_name", "accepted_email", "accepted_phone"):
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)[0]
        assert "value=" not in field, field


def test_someone_else_without_a_phone_is_recorded_without_one(client, sam, template_cz):
    client.force_login(sam)
    data = new_customer_data(
        accepted_by_other="on",
        accepted_first_name="Marie",
        accepted_last_name="Černá",
        accepted_email="marie@wingtip.example",
    )
    assert "accepted_phone" not in data and data["contact_phone"] == "+420602111222"
    review = client.post(NEW, data)
    assert review.status_code == 302
    page = client.get(review["Location"]).text
    assert "Marie Černá, marie@wingtip.example</dd>" in page
    assert client.post(review["Location"]).status_code == 302
    record = Acceptance.objects.get()
    assert (record.first_name, record.last_name, record.email) == (
        "Marie",
        "Černá",
        "marie@wingtip.example",
    )
    assert not record.phone


def test_someone_else_with_nothing_entered_is_refused_and_nothing_saved(client, sam, template_cz):
    client.force_login(sam)
    before = row_counts()
    response = client.post(NEW, new_customer_data(accepted_by_other="on"))
    assert response.status_code == 400
    assert "Enter the first name of the person who accepted." in response.text
    assert "Enter the last name of the person who accepted." in response.text
    assert "Enter the email address of the person who accepted." in response.text
    assert row_counts() == before


def test_a_helpdesk_agent_cannot_post_it(client, hana, template_cz):
    client.force_login(hana)
    before = row_counts()
    data = new_customer_data(accepted_by_other="on", accepted_first_name="Marie")
    assert client.post(NEW, data).status_code == 403
    assert row_counts() == before
