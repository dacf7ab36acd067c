"""Encodings, separators, headers and limits: a file that can't be read writes nothing."""

from __future__ import annotations

import time_machine

from bulk import csvfiles
from bulk.models import BulkJob, BulkRow
from tests.bulk.conftest import HEADER, csv_file, row

TODAY = "2026-03-10 12:00 +01:00"


@time_machine.travel(TODAY)
def test_utf8_with_a_byte_order_mark_is_read(upload, sam, acme):
    upload(sam, csv_file(row(acme), encoding="utf-8-sig"))
    assert BulkJob.objects.get().valid == 1
    assert BulkRow.objects.get().last_name == "Nováková"


@time_machine.travel(TODAY)
def test_semicolons_and_czech_headers_are_read(upload, sam, acme):
    header = (
        "ID tenanta;Doména;Jméno;Příjmení;E-mailová adresa;Telefonní číslo;Datum přijetí;ID šablony"
    )
    line = f"{acme.tenant_id};;Jana;Nováková;jana@acme.example;;15.01.2026;"
    upload(sam, csv_file(line, header=header))
    assert BulkJob.objects.get().valid == 1


@time_machine.travel(TODAY)
def test_header_names_are_case_insensitive_and_optional_columns_may_be_left_out(upload, sam, acme):
    header = "tenantid,firstname,LASTNAME,email,dateagreed"
    upload(
        sam, csv_file(f"{acme.tenant_id},Jana,Nováková,jana@acme.example,2026-01-15", header=header)
    )
    assert BulkJob.objects.get().valid == 1


def test_cp1250_is_refused_with_what_was_expected(upload, sam, acme):
    response = upload(sam, csv_file(row(acme), encoding="cp1250"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "isn&#x27;t UTF-8" in page or "isn't UTF-8" in page
    assert "TenantId, Domain, FirstName" in page
    assert not BulkJob.objects.exists() and not BulkRow.objects.exists()


def test_wrong_columns_are_refused_naming_them(upload, sam, acme):
    response = upload(sam, csv_file("a,b,c", header="Name,Mail,When"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "FirstName" in page and "Mail" in page
    assert not BulkJob.objects.exists()


def test_too_many_rows_are_refused_and_nothing_is_written(upload, sam, acme, monkeypatch):
    original = csvfiles.read_rows
    monkeypatch.setattr("bulk.services.read_rows", lambda upload: original(upload, max_rows=2))
    response = upload(sam, csv_file(row(acme), row(acme), row(acme)))
    assert response.status_code == 400
    assert "more than 2 rows" in response.content.decode()
    assert not BulkJob.objects.exists() and not BulkRow.objects.exists()


def test_a_file_too_large_is_refused(upload, sam, acme, monkeypatch):
    monkeypatch.setattr("bulk.forms.MAX_FILE_BYTES", 10)
    response = upload(sam, csv_file(row(acme)))
    assert response.status_code == 400
    assert not BulkJob.objects.exists()


def test_the_limits_are_stated_on_the_upload_page(client, sam):
    client.force_login(sam)
    page = client.get("/bulk/new/").content.decode()
    assert "50 000" in page and "16 MB" in page and HEADER.replace(",", ", ") in page
