"""The customers list as a CSV file of customer agreement records, streamed.

On PostgreSQL the database writes the lines itself (``COPY … TO STDOUT``, one per partner of
the scope, over agreements.records.lateral_batch's query for the whole index range), passed on
in chunks as they arrive. Elsewhere rows are read a batch at a time (agreements.records.
row_batches: keyset-paged) and written through csv.writer. Either way a million customers
neither load into memory nor wait for the last row before the first byte leaves. Cells are
neutralised against formula injection, the file starts with a byte-order mark, so Excel reads
Czech names as UTF-8, and lines end with CRLF (RFC 4180) on every database (COPY's LF are
turned into CRLF as they pass: ``CrlfLineEnds``).
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from agreements.models import AcceptanceMethod
from agreements.records import Row, lateral_batch, row_batches
from customers.models import AgreementStatus, RelationshipQuerySet
from portal.csv_cells import BOM, inert
from portal.models import Partner

BATCH_SIZE = 5_000
# PostgreSQL's lines are passed on in chunks of about this many bytes.
CHUNK_BYTES = 256 * 1024


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


class CrlfLineEnds:
    """COPY ends each line with LF; csv.writer, like RFC 4180, with CRLF. This turns COPY's
    line ends into CRLF, so the file is the same whichever database wrote it: a LF outside
    a quoted cell ends a line, one inside a quoted cell is the cell's own (as csv.writer keeps
    it). Fed the output in order, chunk by chunk; whether a chunk starts inside quotes is
    carried over (a quote inside a quoted cell is doubled, so counting quotes tells)."""

    def __init__(self) -> None:
        self.quoted = False

    def __call__(self, data: bytes) -> bytes:
        if not self.quoted and b'"' not in data:
            return data.replace(b"\n", b"\r\n")
        parts = data.split(b'"')
        for index in range(len(parts)):
            if self.quoted == (index % 2 == 1):
                parts[index] = parts[index].replace(b"\n", b"\r\n")
        if len(parts) % 2 == 0:
            self.quoted = not self.quoted
        return b'"'.join(parts)


class CopiedRows(CsvRows):
    """The same file, written by PostgreSQL (COPY … TO STDOUT, FORMAT csv): the records'
    query whole, one partner of the scope after another, with the labels, links and
    formula guard in SQL."""

    def __iter__(self) -> Iterator[bytes]:
        buffer = io.StringIO()
        buffer.write(BOM)
        csv.writer(buffer).writerow(self.header)
        yield self._drain(buffer)
        for partner, relationships in self.parts:
            yield from self._copy(partner, relationships)

    def _copy(self, partner: Partner, relationships: RelationshipQuerySet) -> Iterator[bytes]:
        records, params = lateral_batch(partner, relationships, None, None)
        labels: list[Any] = []

        def label(column: str, choices: dict[Any, str]) -> str:
            cases = []
            for value, text in choices.items():
                if value is not None:
                    cases.append("WHEN %s THEN %s")
                    labels.extend([value, text])
            return f"CASE {column} {' '.join(cases)} END"

        def guard(column: str) -> str:
            # inert() in SQL; an empty text is written as an empty cell, as csv.writer does.
            starts = ", ".join(f"'{start}'" for start in "=+-@") + ", chr(9), chr(13)"
            return (
                f"CASE WHEN left({column}, 1) IN ({starts}) THEN chr(39) || {column} "
                f"ELSE NULLIF({column}, '') END"
            )

        # The records' columns (agreements.records.Row), by position.
        columns = [
            "r.c0",
            guard("r.c1"),
            guard("r.c2"),
            "r.c3",
            label("r.c4", self.statuses),
            label("r.c5", self.methods),
            guard("r.c6"),
            guard("r.c7"),
            guard("r.c8"),
            guard("r.c9"),
            "r.c10",
            "r.c11",
            "r.c12",
            guard("r.c13"),
            "%s || r.c0 || %s",
        ]
        names = ", ".join(f"c{index}" for index in range(16))
        sql = (
            f"COPY (SELECT {', '.join(columns)} FROM ({records}) AS r ({names}) "
            "ORDER BY r.c14, r.c15) TO STDOUT (FORMAT csv)"
        )
        # In the order of their places: the labels and the link in the SELECT list, then the
        # records' own inside FROM.
        arguments = (*labels, self.link_head, self.link_tail, *params)
        connection = connections[relationships.db]
        connection.ensure_connection()
        if connection.queries_logged:
            # Run around Django's cursor, so logged here as Django logs its own queries (the
            # tests count them; so does the debug toolbar).
            connection.queries_log.append({"sql": sql, "time": "0.000"})
        chunk = bytearray()
        line_ends = CrlfLineEnds()
        with connection.connection.cursor() as cursor, cursor.copy(sql, arguments) as copy:
            for data in copy:
                chunk += line_ends(bytes(data))
                if len(chunk) >= CHUNK_BYTES:
                    yield bytes(chunk)
                    chunk.clear()
        if chunk:
            yield bytes(chunk)


def csv_lines(parts: list[tuple[Partner, RelationshipQuerySet]]) -> Iterable[bytes]:
    if all(connections[part.db].vendor == "postgresql" for _partner, part in parts):
        return CopiedRows(parts)
    return CsvRows(parts)


# The bulk attestation file's columns (bulk reads them; campaigns and bulk pre-fill them).
ATTESTATION_FILE_COLUMNS = [
    "TenantId",
    "Domain",
    "FirstName",
    "LastName",
    "Email",
    "PhoneNumber",
    "DateAgreed",
    "TemplateId",
]


class _Line:
    def write(self, line: str) -> str:
        return line


def attestation_file_lines(
    relationships: QuerySet, *, template_id: str = "", batch_size: int = 2_000
) -> Iterator[bytes]:
    """A bulk attestation file pre-filled from ``relationships``' customers (their primary
    contact; the date agreed left to the partner), read by primary key a batch at a time."""
    writer = csv.writer(_Line())
    yield (BOM + writer.writerow(ATTESTATION_FILE_COLUMNS)).encode()
    after = 0
    while True:
        batch = list(
            relationships.filter(pk__gt=after)
            .order_by("pk")
            .values_list(
                "pk",
                "customer__tenant_id",
                "customer__domain",
                "customer__contact_first_name",
                "customer__contact_last_name",
                "customer__contact_email",
                "customer__contact_phone",
            )[:batch_size]
        )
        if not batch:
            return
        after = batch[-1][0]
        yield "".join(
            writer.writerow(
                [
                    str(tenant),
                    inert(domain),
                    inert(first),
                    inert(last),
                    inert(email),
                    inert(str(phone or "")),
                    "",
                    template_id,
                ]
            )
            for _pk, tenant, domain, first, last, email, phone in batch
        ).encode()
        if len(batch) < batch_size:
            return
