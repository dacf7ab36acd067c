"""The customers list as a CSV file of customer agreement records, streamed.

Rows are written a batch at a time (agreements.records: two queries a batch, keyset-paged),
so a million customers neither load into memory nor wait for the last row before the first
byte leaves. Cells are neutralised against formula injection and the file starts with a
byte-order mark, so Excel reads Czech names as UTF-8.
"""

from __future__ import annotations

import csv
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from agreements.evidence import iso_utc
from agreements.models import AcceptanceMethod
from agreements.records import AgreementRecord, record_batches
from customers.models import AgreementStatus, RelationshipQuerySet
from portal.models import Partner

BATCH_SIZE = 2_000
BOM = "\ufeff"
# A spreadsheet reads a cell that starts with one of these as a formula (OWASP: CSV
# injection); a leading apostrophe makes it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def header() -> list[str]:
    return [
        _("Tenant ID"),
        _("Domain"),
        _("Company name"),
        _("Country"),
        _("Agreement status"),
        _("Method"),
        _("Accepted by: first name"),
        _("Accepted by: last name"),
        _("Accepted by: email"),
        _("Accepted by: phone"),
        _("Date agreed"),
        _("Template version"),
        _("Recorded at (UTC)"),
        _("Recorded by"),
        _("Customer page"),
    ]


class _Line:
    """csv.writer's file: hands back the line it was given."""

    def write(self, line: str) -> str:
        return line


class CsvRows:
    """The file's lines, a batch at a time. Labels and links are made once, up front, in the
    language of the request (the body is written after the view has returned)."""

    def __init__(self, parts: list[tuple[Partner, RelationshipQuerySet]]) -> None:
        self.parts = parts
        self.statuses = {value: str(label) for value, label in AgreementStatus.choices}
        self.methods = {value: str(label) for value, label in AcceptanceMethod.choices}
        placeholder = str(uuid.UUID(int=0))
        self.link = settings.PORTAL_BASE_URL + reverse("customers:detail", args=[placeholder])
        self.placeholder = placeholder
        self.header = header()

    def row(self, record: AgreementRecord) -> list[Any]:
        tenant = str(record.tenant_id)
        cells: list[Any] = [
            tenant,
            inert(record.domain),
            inert(record.company_name),
            record.country,
            self.statuses[record.status],
        ]
        accepted = record.on_record
        if accepted is None:
            cells += ["", "", "", "", "", "", "", "", ""]
        else:
            person = accepted.accepted_by
            cells += [
                self.methods[accepted.method],
                inert(person.first_name),
                inert(person.last_name),
                inert(person.email),
                inert(person.phone),
                accepted.date_agreed.isoformat(),
                accepted.template_version,
                iso_utc(accepted.recorded_at),
                inert(accepted.recorded_by),
            ]
        cells.append(self.link.replace(self.placeholder, tenant))
        return cells

    def __iter__(self) -> Iterator[bytes]:
        writer = csv.writer(_Line())
        yield (BOM + writer.writerow(self.header)).encode()
        for batch in record_batches(self.parts, batch_size=BATCH_SIZE):
            yield "".join(writer.writerow(self.row(record)) for record in batch).encode()


def csv_lines(parts: list[tuple[Partner, RelationshipQuerySet]]) -> Iterable[bytes]:
    return CsvRows(parts)
