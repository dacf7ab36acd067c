"""Operators see and correct a partner's contact details in the admin, with the portal's own
checks (the phone's example, http(s) web addresses only); a correction is in the partner's
audit log like an admin agent's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


def form_data(partner, **changes) -> dict[str, str]:
    data = {
        "name": partner.name,
        "partner_id": partner.partner_id,
        "kind": partner.kind,
        "country": partner.country.code,
        "provider": "",
        "created_at_0": partner.created_at.strftime("%Y-%m-%d"),
        "created_at_1": partner.created_at.strftime("%H:%M:%S"),
        "contact_email": "",
        "contact_phone": "",
        "website": "",
    }
    return {**data, **changes}


def test_the_admin_shows_the_contact_fields(client, operator, contoso):
    client.force_login(operator)
    page = client.get(reverse("admin:portal_partner_change", args=[contoso.pk])).text
    for field in ("contact_email", "contact_phone", "website"):
        assert f'name="{field}"' in page
    assert "+420 601 123 456" in page  # the project's phone example


def test_an_operators_correction_is_saved_and_audited(client, operator, contoso):
    client.force_login(operator)
    response = client.post(
        reverse("admin:portal_partner_change", args=[contoso.pk]),
        form_data(
            contoso,
            contact_email="help@contoso.example",
            contact_phone="+420 601 123 456",
            website="https://contoso.example/",
        ),
    )
    assert response.status_code == 302, response.text
    contoso.refresh_from_db()
    assert (contoso.contact_email, str(contoso.contact_phone), contoso.website) == (
        "help@contoso.example",
        "+420601123456",
        "https://contoso.example/",
    )
    entries = AuditEntry.objects.filter(action=AuditAction.PROFILE_CHANGED)
    assert entries.count() == 3
    assert set(entries.values_list("partner_id", "actor_email")) == {
        (contoso.pk, operator.email)
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contact_phone", "12345", "for example +420 601 123 456"),
        ("website", "javascript:alert(1)", "Enter a valid web address"),
        ("contact_email", "nope", "Enter a valid email address, for example"),
    ],
)
def test_the_admin_refuses_bad_contact_details(client, operator, contoso, field, value, message):
    client.force_login(operator)
    response = client.post(
        reverse("admin:portal_partner_change", args=[contoso.pk]),
        form_data(contoso, **{field: value}),
    )
    assert response.status_code == 200
    assert message in response.text
    contoso.refresh_from_db()
    assert getattr(contoso, field) in ("", None)
    assert not AuditEntry.objects.filter(action=AuditAction.PROFILE_CHANGED).exists()


def test_a_new_partner_can_be_added_with_contact_details(client, operator):
    from portal.models import Partner

    client.force_login(operator)
    response = client.post(
        reverse("admin:portal_partner_add"),
        {
            "name": "Adatum",
            "partner_id": "4999999",
            "kind": "direct_bill",
            "country": "CZ",
            "provider": "",
            "created_at_0": "2026-11-28",
            "created_at_1": "10:00:00",
            "contact_email": "hello@adatum.example",
            "contact_phone": "",
            "website": "adatum.example",
        },
    )
    assert response.status_code == 302, response.text
    adatum = Partner.objects.get(partner_id="4999999")
    assert (adatum.contact_email, adatum.website) == (
        "hello@adatum.example",
        "https://adatum.example",
    )
