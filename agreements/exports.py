"""The customers list as a CSV file of customer agreement records, streamed.

Rows are written a batch at a time (agreements.records.row_batches: keyset-paged, one query a
batch on PostgreSQL, two elsewhere), as plain tuples through csv.writer, so a million customers neither load into memory nor wait for the last row before the first
byte leaves. Cells are neutralised against formula injection and the file starts with a
byte-order mark, so Excel reads Czech names as UTF-8.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from agreements.models import AcceptanceMethod
from agreements.records import Row, row_batches
from customers.models import AgreementStatus, RelationshipQuerySet
from portal.models import Partner

BATCH_SIZE = 5_000
BOM = "\ufeff"
# A spreadsheet reads a cell that starts with one of these as a formula (OWASP: CSV
# injection); a leading apostrophe makes it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: str | None) -> str | None:
    return "'" + value if value and value.startswith(FORMULA_STARTS) else value


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


class CsvRows:
    """The file's lines, a batch at a time. Labels and links are made once, up front, in the
    language of the request (the body is written after the view has returned)."""

    def __init__(self, parts: list[tuple[Partner, RelationshipQuerySet]]) -> None:
        self.parts = parts
        self.statuses = {value: str(label) for value, label in AgreementStatus.choices}
        self.methods: dict[str | None, str] = {
            value: str(label) for value, label in AcceptanceMethod.choices
        }
        self.methods[None] = ""
        placeholder = str(uuid.UUID(int=0))
        link = settings.PORTAL_BASE_URL + reverse("customers:detail", args=[placeholder])
        self.link_head, self.link_tail = link.split(placeholder)
        self.header = header()

    def rows(self, batch: list[Row]) -> list[tuple[Any, ...]]:
        statuses, methods, head, tail = self.statuses, self.methods, self.link_head, self.link_tail
        # None writes as an empty cell: a customer with nothing on record.
        return [
            (
                tenant,
                inert(domain),
                inert(company),
                country,
                statuses[status],
                methods[method],
                inert(first),
                inert(last),
                inert(email),
                inert(phone),
                agreed,
                version,
                recorded_at,
                inert(recorded_by),
                head + tenant + tail,
            )
            for (
                tenant,
                domain,
                company,
                country,
                status,
                method,
                first,
                last,
                email,
                phone,
                agreed,
                version,
                recorded_at,
                recorded_by,
                _sort_name,
                _relationship_id,
            ) in batch
        ]

    def __iter__(self) -> Iterator[bytes]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write(BOM)
        writer.writerow(self.header)
        yield self._drain(buffer)
        for batch in row_batches(self.parts, batch_size=BATCH_SIZE):
            writer.writerows(self.rows(batch))
            yield self._drain(buffer)

    @staticmethod
    def _drain(buffer: io.StringIO) -> bytes:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode()


def csv_lines(parts: list[tuple[Partner, RelationshipQuerySet]]) -> Iterable[bytes]:
    return CsvRows(parts)
