"""The campaign page: counts per state and days left for the partner's own customers, the
table and its filters, the attestation file, each role's access."""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from django.urls import reverse

from tests import factories as f
from tests.campaigns.conftest import attest_older

pytestmark = pytest.mark.django_db


def page(client, version, **params):
    return client.get(reverse("campaigns:detail", args=[version.template_id]), params)


def test_the_counts_say_where_each_customer_stands(client, sam, campaign_world):
    version, _customers = campaign_world
    client.force_login(sam)
    response = page(client, version)
    assert response.status_code == 200
    counts = response.context["counts"]
    assert (counts.due, counts.invited, counts.blocked, counts.done) == (1, 1, 1, 1)
    assert response.context["days_left"] == 30
    html = response.content.decode()
    assert "Globex Due" not in html and "Nothing s.r.o." not in html
    for name in ("Due", "Invited", "Blocked", "Done"):
        assert f"{name} s.r.o." in html


@pytest.mark.parametrize(
    ("state", "name"),
    [("due", "Due"), ("invited", "Invited"), ("blocked", "Blocked"), ("done", "Done")],
)
def test_the_table_filters_by_state(client, hana, campaign_world, state, name):
    version, _customers = campaign_world
    client.force_login(hana)
    rows = page(client, version, state=state).context["page"].object_list
    assert [row.customer.company_name for row in rows] == [f"{name} s.r.o."]


def test_the_table_searches_like_the_customers_list(client, hana, campaign_world):
    version, _customers = campaign_world
    client.force_login(hana)
    rows = page(client, version, q="invit").context["page"].object_list
    assert [row.customer.company_name for row in rows] == ["Invited s.r.o."]


def test_a_bad_filter_is_400_and_lists_nothing(client, hana, campaign_world):
    version, _customers = campaign_world
    client.force_login(hana)
    response = page(client, version, state="everything")
    assert response.status_code == 400
    assert not response.context["page"].object_list


def test_the_progress_chart_is_an_accessible_svg(client, bill, campaign_world):
    version, _customers = campaign_world
    client.force_login(bill)
    html = page(client, version).content.decode()
    assert 'role="img" aria-labelledby="progress-title progress-desc"' in html
    assert "1 of 4" in html


def test_the_attestation_file_lists_those_still_to_renew(client, sam, campaign_world):
    version, customers = campaign_world
    client.force_login(sam)
    response = client.get(reverse("campaigns:attestations", args=[version.template_id]))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == [
        "TenantId",
        "Domain",
        "FirstName",
        "LastName",
        "Email",
        "PhoneNumber",
        "DateAgreed",
        "TemplateId",
    ]
    assert {row["TenantId"] for row in rows} == {
        str(customers[name].tenant_id) for name in ("Due", "Invited", "Blocked")
    }
    assert {row["TemplateId"] for row in rows} == {str(version.template_id)}
    assert {row["DateAgreed"] for row in rows} == {""}


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_read_only_roles_see_the_campaign_but_get_no_file(client, request, campaign_world, persona):
    version, _customers = campaign_world
    client.force_login(request.getfixturevalue(persona))
    response = page(client, version)
    assert response.status_code == 200
    assert reverse("campaigns:attestations", args=[version.template_id]) not in (
        response.content.decode()
    )
    file = client.get(reverse("campaigns:attestations", args=[version.template_id]))
    assert file.status_code == 403


def test_a_reseller_gets_no_attestation_file(client, nora, campaign_world):
    version, _customers = campaign_world
    client.force_login(nora)
    assert page(client, version).status_code == 200
    file = client.get(reverse("campaigns:attestations", args=[version.template_id]))
    assert file.status_code == 403


def test_another_partner_sees_only_its_own(client, lisa, campaign_world):
    version, _customers = campaign_world
    client.force_login(lisa)
    response = page(client, version)
    assert [row.customer.company_name for row in response.context["page"].object_list] == [
        "Globex Due"
    ]


def test_a_customer_admin_and_an_operator_are_refused(client, acme_admin, operator, campaign_world):
    version, _customers = campaign_world
    for user in (acme_admin, operator):
        client.force_login(user)
        assert page(client, version).status_code == 403
        assert client.get(reverse("campaigns:list")).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, campaign_world):
    version, _customers = campaign_world
    assert page(client, version).status_code == 302


def test_an_unknown_or_not_requiring_version_is_404(client, sam, campaign_world, template_cz):
    client.force_login(sam)
    assert client.get(reverse("campaigns:detail", args=[uuid.uuid4()])).status_code == 404
    assert page(client, template_cz).status_code == 404


def test_the_list_and_dashboard_name_the_campaign(client, alice, campaign_world):
    version, _customers = campaign_world
    client.force_login(alice)
    listing = client.get(reverse("campaigns:list")).content.decode()
    assert reverse("campaigns:detail", args=[version.template_id]) in listing
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert (
        "3 customers still to renew, 1 customer accepted again, 30 days left in the campaign"
        in dashboard
    )


def test_the_page_costs_the_same_queries_at_two_sizes(
    client, sam, contoso, campaign_world, template_cz, django_assert_num_queries
):
    version, _customers = campaign_world
    client.force_login(sam)
    page(client, version)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        page(client, version)
    for _ in range(30):
        customer = f.CustomerFactory()
        f.RelationshipFactory(partner=contoso, customer=customer)
        attest_older(customer, sam, template_cz)
    with django_assert_num_queries(len(small)):
        response = page(client, version)
    assert response.context["counts"].due == 31


def test_write_agents_are_led_to_bulk_invitations_of_the_due(client, sam, campaign_world):
    version, _customers = campaign_world
    client.force_login(sam)
    link = page(client, version).context["bulk_invitations"]
    assert link.startswith(reverse("invitations:bulk_preview"))
    preview = client.get(link)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Due s.r.o." in html


def test_read_only_agents_get_no_bulk_invitations(client, hana, campaign_world):
    version, _customers = campaign_world
    client.force_login(hana)
    assert page(client, version).context["bulk_invitations"] is None
