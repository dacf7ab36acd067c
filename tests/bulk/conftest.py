"""Shared helpers for bulk attestation's tests."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

HEADER = "TenantId,Domain,FirstName,LastName,Email,PhoneNumber,DateAgreed,TemplateId"


def csv_file(*lines: str, header: str = HEADER, encoding: str = "utf-8", name="rows.csv"):
    text = "\r\n".join([header, *lines]) + "\r\n"
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def row(
    customer=None,
    *,
    domain="",
    first="Jana",
    last="Nováková",
    email="jana@acme.example",
    phone="",
    date="2026-01-15",
    template="",
    tenant=None,
) -> str:
    tenant_id = tenant if tenant is not None else (str(customer.tenant_id) if customer else "")
    return ",".join([tenant_id, domain, first, last, email, phone, date, template])


@pytest.fixture
def upload(client):
    """upload(agent, file) -> the response of posting it to the upload page (followed)."""

    def post(agent, file, follow=True):
        client.force_login(agent)
        return client.post("/bulk/new/", {"file": file}, follow=follow)

    return post


from tests.api.conftest import api_as  # noqa: E402, F401  (the API's personas' clients)
