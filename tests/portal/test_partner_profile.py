"""Partner profile (issue 16): an admin agent keeps its own partner's contact details (email,
phone, website), which its customers read in the admin center; every change is in the audit
log; other roles 403; bad input 400 with a clear message and nothing saved."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from portal.models import AuditAction, AuditEntry, Partner
from portal.profile import update_contact_details

pytestmark = pytest.mark.django_db

URL = "/agents/profile/"
GOOD = {
    "contact_email": "support@contoso.example",
    "contact_phone": "+420 601 123 456",
    "website": "https://www.contoso.example/",
}


def contact_of(partner: Partner) -> tuple[str, str, str]:
    partner.refresh_from_db()
    return partner.contact_email, str(partner.contact_phone or ""), partner.website


def test_the_address_is_the_agents_page(alice):
    assert reverse("agents:profile") == URL


def test_an_admin_agent_sees_its_partner_read_only_and_the_contact_fields(
    client, alice, contoso, django_assert_max_num_queries
):
    client.force_login(alice)
    # session, user, partner, the latest changes.
    with django_assert_max_num_queries(4):
        response = client.get(URL)
    assert response.status_code == 200
    page = response.text
    assert contoso.name in page and contoso.partner_id in page
    assert "Direct-bill partner" in page and "Czechia" in page
    for field in ("contact_email", "contact_phone", "website"):
        assert f'name="{field}"' in page
    # The partner's own identity is shown, never a field.
    for fixed in ("name", "partner_id", "kind", "country"):
        assert f'name="{fixed}"' not in page
    assert "+420 601 123 456" in page  # the phone's help cites the project's example


def test_the_page_costs_the_same_with_a_long_history(
    client, alice, contoso, django_assert_max_num_queries
):
    for n in range(30):
        update_contact_details(
            partner=contoso, by=alice, values={"contact_email": f"s{n}@contoso.example"}
        )
    client.force_login(alice)
    with django_assert_max_num_queries(4):
        page = client.get(URL).text
    history = page.split('id="history-heading"', 1)[1].split("</table>", 1)[0]
    # Only the latest ten, newest first.
    assert history.count("<tr>") == 1 + 10
    assert "s28@contoso.example → s29@contoso.example" in history
    assert "→ s19@contoso.example" not in history


def test_an_admin_agent_saves_the_contact_details_and_each_change_is_audited(
    client, alice, contoso
):
    client.force_login(alice)
    response = client.post(URL, GOOD, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    assert response["Location"] == URL
    assert contact_of(contoso) == (
        "support@contoso.example",
        "+420601123456",
        "https://www.contoso.example/",
    )
    entries = AuditEntry.objects.filter(action=AuditAction.PROFILE_CHANGED).order_by("id")
    assert [(e.target_label, e.details) for e in entries] == [
        ("contact_email", "— → support@contoso.example"),
        ("contact_phone", "— → +420601123456"),
        ("website", "— → https://www.contoso.example/"),
    ]
    assert {(e.partner_id, e.actor_id, e.ip_address) for e in entries} == {
        (contoso.pk, alice.pk, "203.0.113.7")
    }
    page = client.get(URL).text
    assert "Your contact details were saved." in page
    assert "— → support@contoso.example" in page


def test_a_change_records_old_and_new_and_clearing_a_field_is_a_change(client, alice, contoso):
    update_contact_details(partner=contoso, by=alice, values=GOOD)
    client.force_login(alice)
    client.post(URL, {**GOOD, "contact_email": "help@contoso.example", "website": ""})
    latest = list(
        AuditEntry.objects.filter(action=AuditAction.PROFILE_CHANGED)
        .order_by("-id")
        .values_list("target_label", "details")[:2]
    )
    assert sorted(latest) == [
        ("contact_email", "support@contoso.example → help@contoso.example"),
        ("website", "https://www.contoso.example/ → —"),
    ]
    assert contact_of(contoso)[2] == ""


def test_saving_nothing_new_records_nothing(client, alice, contoso):
    update_contact_details(partner=contoso, by=alice, values=GOOD)
    client.force_login(alice)
    before = AuditEntry.objects.count()
    # The phone written another way is the same number.
    response = client.post(URL, {**GOOD, "contact_phone": "+420601123456"}, follow=True)
    assert "Nothing was changed." in response.text
    assert AuditEntry.objects.count() == before


def test_a_bare_domain_is_taken_as_https(client, alice, contoso):
    client.force_login(alice)
    client.post(URL, {**GOOD, "website": "www.contoso.example"})
    assert contact_of(contoso)[2] == "https://www.contoso.example"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "contact_email",
            "support-at-contoso",
            "Enter a valid email address, for example support@contoso.example.",
        ),
        (
            "contact_phone",
            "12345",
            "Enter a valid phone number in international format, for example +420 601 123 456.",
        ),
        (
            "website",
            "not a web address",
            "Enter a valid web address, for example https://www.contoso.example.",
        ),
        (
            "website",
            "javascript:alert(1)",
            "Enter a valid web address, for example https://www.contoso.example.",
        ),
        (
            "website",
            "ftp://files.contoso.example/",
            "Enter a valid web address, for example https://www.contoso.example.",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_saved(
    client, alice, contoso, field, value, message
):
    client.force_login(alice)
    response = client.post(URL, {**GOOD, field: value})
    assert response.status_code == 400
    assert message in response.text
    assert contact_of(contoso) == ("", "", "")
    assert not AuditEntry.objects.filter(action=AuditAction.PROFILE_CHANGED).exists()


def test_the_messages_are_czech_for_a_czech_page(client, alice, contoso):
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cs"
    response = client.post(URL, {**GOOD, "website": "nope nope"})
    assert response.status_code == 400
    assert "Zadejte platnou webovou adresu, například https://www.contoso.example." in (
        response.text
    )
    assert "Profil partnera" in response.text


@pytest.mark.parametrize("persona", ["sam", "hana", "bill", "acme_admin", "operator"])
def test_only_admin_agents_reach_the_profile(client, request, persona, contoso):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.post(URL, GOOD).status_code == 403
    assert contact_of(contoso) == ("", "", "")


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_page_is_always_the_agents_own_partner(client, lisa, litware, contoso):
    """No partner is named in the request: whatever is posted, Litware's admin changes
    Litware's details, never Contoso's."""
    client.force_login(lisa)
    response = client.post(URL, {**GOOD, "partner": contoso.pk, "partner_id": contoso.partner_id})
    assert response.status_code == 302
    assert contact_of(contoso) == ("", "", "")
    assert contact_of(litware)[0] == "support@contoso.example"
    assert set(AuditEntry.objects.values_list("partner_id", flat=True)) == {litware.pk}
    assert client.get(URL).text.count(contoso.name) == 0


def test_only_the_contact_fields_can_be_posted(client, alice, contoso):
    client.force_login(alice)
    client.post(URL, {**GOOD, "name": "Renamed", "kind": "indirect_reseller", "country": "US"})
    contoso.refresh_from_db()
    assert (contoso.name, contoso.kind, contoso.country.code) == (
        "Contoso Partner",
        "direct_bill",
        "CZ",
    )


def test_the_service_refuses_bad_values_whoever_calls_it(alice, contoso):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        update_contact_details(partner=contoso, by=alice, values={"website": "javascript:x"})
    assert contact_of(contoso) == ("", "", "")
    assert not AuditEntry.objects.exists()


def test_the_navigation_offers_it_to_admin_agents_only(client, alice, sam):
    client.force_login(alice)
    page = client.get(URL).text
    assert 'aria-current="page">Partner profile<' in page
    client.force_login(sam)
    assert "Partner profile" not in client.get(reverse("customers:list")).text


def test_the_audit_log_filters_by_the_new_action(client, alice, contoso):
    update_contact_details(partner=contoso, by=alice, values=GOOD)
    client.force_login(alice)
    page = client.get(reverse("agents:audit"), {"action": "profile_changed"}).text
    assert "Partner contact details changed" in page
    assert "support@contoso.example" in page


def test_a_providers_admin_keeps_its_own_details_never_its_resellers(
    client, frank, fabrikam, northwind, nora
):
    client.force_login(frank)
    assert client.post(URL, GOOD).status_code == 302
    assert contact_of(fabrikam)[0] == "support@contoso.example"
    assert contact_of(northwind) == ("", "", "")
    client.force_login(nora)  # the reseller's sales agent
    assert client.post(URL, GOOD).status_code == 403
    assert contact_of(northwind) == ("", "", "")
