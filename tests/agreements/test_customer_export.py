"""The customers list as a CSV of customer agreement records: header, rows, filters."""

import datetime

from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils import timezone

from tests import factories as f
from tests.agreements.export import HEADER, export, rows_of


def test_the_export_is_a_streamed_csv_download(client, alice, acme):
    response = export(client, alice)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="customer-agreement-')
    assert "no-store" in response["Cache-Control"]


def test_the_header_names_partner_centers_record_columns(client, alice, acme):
    assert rows_of(export(client, alice))[0] == HEADER


def test_a_customer_with_nothing_on_record_has_empty_acceptance_columns(client, alice, acme):
    rows = rows_of(export(client, alice))
    assert rows[1] == [
        str(acme.tenant_id),
        "acme.onmicrosoft.com",
        "Acme s.r.o.",
        "CZ",
        "Not on record",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        f"{settings.PORTAL_BASE_URL}/customers/{acme.tenant_id}/",
    ]


def test_an_attested_customer_shows_the_newest_record_that_counts(client, alice, sam, acme):
    agreed = timezone.localdate() - datetime.timedelta(days=3)
    f.attest(acme, alice, first_name="Old", date_agreed=agreed)
    newest = f.attest(
        acme,
        sam,
        first_name="Jana",
        last_name="Nováková",
        phone="+420602000111",
        date_agreed=agreed,
    )
    row = dict(zip(HEADER, rows_of(export(client, alice))[1], strict=True))
    assert row["Agreement status"] == "Attested by partner"
    assert row["Method"] == "Partner attestation"
    assert (row["Accepted by: first name"], row["Accepted by: last name"]) == ("Jana", "Nováková")
    assert row["Accepted by: email"] == "jana@example.cz"
    # E.164 starts with "+", which a spreadsheet would read as a formula.
    assert row["Accepted by: phone"] == "'+420602000111"
    assert row["Date agreed"] == agreed.isoformat()
    assert row["Template version"] == str(newest.template.version_rank)
    assert row["Recorded at (UTC)"].endswith("Z")
    assert row["Recorded by"] == "sam@contoso.example"


def test_a_direct_acceptance_is_exported_as_such(client, alice, acme, acme_admin, contoso):
    f.accept_directly(acme, acme_admin, contoso)
    row = dict(zip(HEADER, rows_of(export(client, alice))[1], strict=True))
    assert row["Agreement status"] == "Accepted directly"
    assert row["Method"] == "Direct acceptance"


def test_rows_come_in_the_lists_name_order(client, alice, contoso, template_cz):
    for name in ("Zeta", "alpha", "Émile"):
        f.RelationshipFactory(partner=contoso, customer=f.CustomerFactory(company_name=name))
    names = [row[2] for row in rows_of(export(client, alice))[1:]]
    assert names == ["alpha", "Émile", "Zeta"]


def test_the_lists_search_and_filters_narrow_the_export(client, alice, sam, contoso, acme):
    other = f.CustomerFactory(company_name="Wingtip", country="DE")
    f.RelationshipFactory(partner=contoso, customer=other)
    f.attest(acme, sam)
    assert [row[2] for row in rows_of(export(client, alice, "?q=wingtip"))[1:]] == ["Wingtip"]
    assert [row[2] for row in rows_of(export(client, alice, "?country=DE"))[1:]] == ["Wingtip"]
    attested = rows_of(export(client, alice, "?status=attested&page=3&sort=-created"))
    assert [row[2] for row in attested[1:]] == ["Acme s.r.o."]


def test_czech_names_come_out_in_utf8_with_a_byte_order_mark(client, alice, contoso, acme):
    f.RelationshipFactory(
        partner=contoso, customer=f.CustomerFactory(company_name="Žluťoučký kůň s.r.o.")
    )
    response = export(client, alice)
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    assert "Žluťoučký kůň s.r.o.".encode() in body


def test_headers_and_labels_follow_the_agents_language(client, alice, acme):
    client.force_login(alice)
    response = client.get("/customers/export.csv", headers={"accept-language": "cs"})
    rows = rows_of(response)
    assert rows[0][0] != "Tenant ID"
    assert rows[1][4] != "Not on record"
