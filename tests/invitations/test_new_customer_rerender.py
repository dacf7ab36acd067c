"""A New customer form sent back with errors holds exactly what the agent posted."""

import re

from django.urls import reverse

from tests.customers.conftest import new_customer_data

NEW = reverse("customers:new")


def test_the_accepted_by_fields_come_back_as_posted_not_copied_from_the_contact(
    client, sam, template_cz
):
    client.force_login(sam)
    response = client.post(
        NEW,
        new_customer_data(
            accepted_by_other="on",
            accepted_first_name="Marie",
            accepted_last_name="",
            accepted_email="marie@wingtip.example",
            accepted_phone="",
        ),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form["accepted_by_other"].value() is True
    assert form["accepted_first_name"].value() == "Marie"
    assert form["accepted_phone"].value() in ("", None)
    page = response.text
    accepted_phone = re.search(r'<input[^>]*name="accepted_phone"[^>]*>', page)[0]
    assert "value=" not in accepted_phone
    assert 'value="Marie"' in page
    assert "Enter the last name of the person who accepted." in page
