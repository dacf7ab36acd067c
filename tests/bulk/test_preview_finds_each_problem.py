"""The preview checks every row with the single attestation's rules and writes no evidence."""

from __future__ import annotations

import time_machine

from agreements.models import Acceptance, AcceptanceMethod, Channel
from agreements.services import Contact, record_acceptance
from bulk.models import BulkJob, Status
from tests.bulk.conftest import csv_file, row

TODAY = "2026-03-10 12:00 +01:00"


def _job():
    return BulkJob.objects.get()


def _findings(job):
    return {r.number: (r.code, r.message) for r in job.rows.exclude(code=None)}


@time_machine.travel(TODAY)
def test_preview_counts_a_valid_file_and_records_nothing(upload, sam, acme):
    response = upload(sam, csv_file(row(acme)))
    assert response.status_code == 200
    job = _job()
    assert (job.status, job.total, job.valid) == (Status.DRAFT, 1, 1)
    assert not Acceptance.objects.exists()
    assert "Nothing has been recorded yet." in response.content.decode()


@time_machine.travel(TODAY)
def test_a_future_date_is_found(upload, sam, acme):
    upload(sam, csv_file(row(acme, date="2026-03-11")))
    code, message = _findings(_job())[2]
    assert code == 800002 and "future" in message


@time_machine.travel(TODAY)
def test_a_date_before_the_version_was_published_is_found(upload, sam, acme, template_cz):
    date = (template_cz.published_on.replace(year=template_cz.published_on.year - 1)).isoformat()
    upload(sam, csv_file(row(acme, date=date)))
    code, message = _findings(_job())[2]
    assert code == 800002 and "published on" in message


@time_machine.travel(TODAY)
def test_another_partners_tenant_is_not_found_and_not_revealed(upload, sam, acme, globex):
    response = upload(sam, csv_file(row(globex), row(domain="globex.onmicrosoft.com")))
    findings = _findings(_job())
    assert findings[2] == (60003, "No such customer.")
    assert findings[3] == (60003, "No such customer.")
    assert "Globex" not in response.content.decode()


@time_machine.travel(TODAY)
def test_an_unknown_tenant_is_not_found(upload, sam, acme):
    upload(sam, csv_file(row(tenant="6f1c1d3e-0000-4000-8000-000000000000")))
    assert _findings(_job())[2][0] == 60003


@time_machine.travel(TODAY)
def test_the_same_customer_twice_in_the_file_is_found(upload, sam, acme):
    upload(sam, csv_file(row(acme), row(domain="ACME.onmicrosoft.com", first="Petr")))
    code, message = _findings(_job())[3]
    assert code == 800002 and "row 2" in message


@time_machine.travel(TODAY)
def test_the_same_contact_and_date_already_on_record_is_600061(upload, sam, acme):
    record_acceptance(
        customer=acme,
        partner=sam.partner,
        recorded_by=sam,
        method=AcceptanceMethod.PARTNER_ATTESTATION,
        channel=Channel.WEB,
        contact=Contact("Jana", "Nováková", "jana@acme.example"),
        date_agreed=__import__("datetime").date(2026, 1, 15),
    )
    upload(sam, csv_file(row(acme)))
    assert _findings(_job())[2][0] == 600061


@time_machine.travel(TODAY)
def test_bad_columns_in_a_row_are_named(upload, sam, acme):
    upload(sam, csv_file(row(acme, email="not-an-email", phone="12", date="yesterday")))
    message = _findings(_job())[2][1]
    assert "Email:" in message and "PhoneNumber:" in message and "DateAgreed:" in message


@time_machine.travel(TODAY)
def test_an_unknown_template_id_is_found(upload, sam, acme):
    upload(sam, csv_file(row(acme, template="6f1c1d3e-0000-4000-8000-000000000000")))
    assert "TemplateId" in _findings(_job())[2][1]


@time_machine.travel(TODAY)
def test_a_row_without_tenant_or_domain_is_found(upload, sam, acme):
    upload(sam, csv_file(row(tenant="")))
    assert "TenantId or Domain" in _findings(_job())[2][1]


@time_machine.travel(TODAY)
def test_problems_are_shown_in_czech_to_a_czech_agent(client, upload, sam, acme):
    client.force_login(sam)
    client.cookies["django_language"] = "cs"
    response = upload(sam, csv_file(row(acme, date="2026-03-11")))
    page = response.content.decode()
    assert "budoucí" in page or "budoucnosti" in page


@time_machine.travel(TODAY)
def test_a_contact_the_record_would_refuse_is_found_by_the_records_own_fields(upload, sam, acme):
    """The rows' contact fields are the record's own form fields, so the job may write a row's
    contact without validating it again (record_acceptances(contacts_cleaned=True))."""
    from agreements.models import Acceptance as Record
    from bulk.services import RowForm

    for name in ("first_name", "last_name", "email", "phone"):
        row_field, column = RowForm.base_fields[name], Record._meta.get_field(name)
        assert row_field.max_length == column.max_length, name
        assert {type(v) for v in column.validators} <= {type(v) for v in row_field.validators}
    upload(sam, csv_file(row(acme, first="J" * 101, last="N" * 101)))
    message = _findings(_job())[2][1]
    assert "FirstName:" in message and "LastName:" in message
