"""Bulk invitations' pages cost the same number of queries at two data sizes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from invitations.models import BulkInvitationJob
from tests.invitations.bulk_helpers import customer_of, preview_url, start

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_preview_does_not_grow_with_the_selection(client, sam, contoso, template_cz):
    client.force_login(sam)
    few = [customer_of(contoso, f"Few {n}") for n in range(3)]
    many = [customer_of(contoso, f"Many {n}") for n in range(30)]
    assert queries(client, preview_url("invite", *few)) == queries(
        client, preview_url("invite", *many)
    )


def test_the_job_page_and_status_do_not_grow_with_results(client, sam, contoso, template_cz):
    client.force_login(sam)
    start(client, "invite", *[customer_of(contoso, f"Few {n}") for n in range(3)])
    start(client, "invite", *[customer_of(contoso, f"Many {n}") for n in range(30)])
    small, big = BulkInvitationJob.objects.order_by("pk")
    for suffix in ("", "status/"):
        assert queries(client, f"/invitations/bulk/{small.public_id}/{suffix}") == queries(
            client, f"/invitations/bulk/{big.public_id}/{suffix}"
        )


def test_the_customers_list_with_checkboxes_does_not_grow(client, sam, contoso, template_cz):
    client.force_login(sam)
    for n in range(3):
        customer_of(contoso, f"Few {n}")
    few = queries(client, "/customers/")
    for n in range(20):
        customer_of(contoso, f"Many {n}")
    assert queries(client, "/customers/") == few
