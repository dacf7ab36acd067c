"""A customer due to accept a version requiring re-acceptance shows as such on the customers
list (and its filter), the dashboard's counts, Account info, the API (the customer and the
agreement records) and the export."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from agreements import reacceptance
from customers.models import AgreementStatus, Relationship
from portal.models import ApiToken
from tests import factories as f
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def due(acme, sam, template_cz):
    f.attest(acme, sam, date_agreed=datetime.date(2025, 1, 10))
    version = f.AgreementTemplateFactory(
        version_rank=template_cz.version_rank + 1,
        published_on=datetime.date(2025, 6, 1),
        requires_reacceptance=True,
        reacceptance_deadline=datetime.date(2099, 1, 1),
    )
    f.AgreementDocumentFactory(template=version, country="CZ")
    reacceptance.schedule(version)
    assert Relationship.objects.get(customer=acme).agreement_status == AgreementStatus.DUE
    return acme


@pytest.fixture
def on_record(contoso, sam, due):
    customer = f.CustomerFactory(company_name="Renewed a.s.")
    f.RelationshipFactory(partner=contoso, customer=customer)
    f.attest(customer, sam)
    return customer


def test_the_list_shows_and_filters_it(client, hana, due, on_record):
    client.force_login(hana)
    response = client.get(reverse("customers:list"), {"status": AgreementStatus.DUE})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Acme s.r.o." in html and "Renewed a.s." not in html
    assert "Re-acceptance due" in html


def test_account_info_says_what_is_due_and_until_when(client, hana, due):
    client.force_login(hana)
    response = client.get(reverse("customers:detail", args=[due.tenant_id]))
    html = response.content.decode()
    assert "Re-acceptance due" in html
    assert "requires customers to accept it again" in html


def test_the_dashboard_counts_it(client, hana, due, on_record):
    client.force_login(hana)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Re-acceptance due: 1" in html


def test_the_api_names_it(hana, due, on_record):
    _token, secret = ApiToken.issue(user=hana, name="test")
    api = ApiClient(secret)
    body = api.get(f"/v1/customers/{due.tenant_id}").json()
    assert body["agreementStatus"] == "reacceptanceDue"
    assert api.get(f"/v1/customers/{on_record.tenant_id}").json()["agreementStatus"] == "attested"
    records = api.get("/v1/partners/customeragreementrecords").json()["items"]
    statuses = {item["companyName"]: item["agreementStatus"] for item in records}
    assert statuses == {"Acme s.r.o.": "reacceptanceDue", "Renewed a.s.": "attested"}
    only_due = api.get(
        "/v1/partners/customeragreementrecords", {"agreementStatus": "reacceptanceDue"}
    ).json()
    assert [item["companyName"] for item in only_due["items"]] == ["Acme s.r.o."]


def test_the_export_names_it(client, hana, due):
    client.force_login(hana)
    response = client.get(reverse("customers:export"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Re-acceptance due" in body
