"""Reading an upload: UTF-8 (with or without a byte-order mark), comma or semicolon, the
columns of a customer agreement record under English or Czech names, streamed a row at a time."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator
from typing import IO

from django.utils.translation import gettext as _

from agreements.exports import ATTESTATION_FILE_COLUMNS

# The columns, in the order the template file and the result file give them.
COLUMNS = ATTESTATION_FILE_COLUMNS
# A column's name as a BulkRow field.
FIELDS = dict(
    zip(
        COLUMNS,
        [
            "tenant_id",
            "domain",
            "first_name",
            "last_name",
            "email",
            "phone",
            "date_agreed",
            "template_id",
        ],
        strict=True,
    )
)
REQUIRED = {"FirstName", "LastName", "Email", "DateAgreed"}

MAX_ROWS = 50_000
MAX_FILE_BYTES = 16 * 1024 * 1024
API_MAX_ROWS = 5_000


def _folded(name: str) -> str:
    """A header as compared: case, accents, spaces, dashes and underscores aside."""
    text = unicodedata.normalize("NFKD", name.strip().lower())
    return "".join(c for c in text if c.isalnum() and not unicodedata.combining(c))


# Other names a header may have (Czech Excel, the portal's own export), folded.
ALIASES = {
    _folded(alias): column
    for column, aliases in {
        "TenantId": ["Tenant ID", "ID tenanta", "Tenant", "CustomerId", "ID zákazníka"],
        "Domain": ["Doména"],
        "FirstName": ["First name", "Jméno"],
        "LastName": ["Last name", "Příjmení"],
        "Email": ["E-mail", "Email address", "E-mailová adresa"],
        "PhoneNumber": ["Phone", "Telefon", "Telefonní číslo"],
        "DateAgreed": ["Date agreed", "Datum přijetí", "Datum přijetí smlouvy"],
        "TemplateId": ["Template ID", "ID šablony"],
    }.items()
    for alias in [column, *aliases]
}


class FileRefused(Exception):
    """The file as a whole can't be read: nothing is written."""


def expected_columns() -> str:
    return ", ".join(COLUMNS)


def _refuse_encoding() -> FileRefused:
    return FileRefused(
        _(
            "The file isn't UTF-8 text. In Excel choose File → Save As → “CSV UTF-8 (comma "
            "delimited)” and upload it again. Expected columns: %(columns)s."
        )
        % {"columns": expected_columns()}
    )


def read_rows(binary: IO[bytes], *, max_rows: int = MAX_ROWS) -> Iterator[tuple[int, dict]]:
    """(row number, {BulkRow field: text}) for each data line; the header is row 1, so the
    first data line is row 2, as a spreadsheet numbers it. Raises FileRefused."""
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="strict", newline="")
    try:
        first = text.readline()
    except UnicodeDecodeError as error:
        raise _refuse_encoding() from error
    if not first.strip():
        raise FileRefused(
            _("The file is empty. Expected a header line with the columns %(columns)s.")
            % {"columns": expected_columns()}
        )
    delimiter = ";" if first.count(";") > first.count(",") else ","
    header = next(csv.reader([first], delimiter=delimiter))
    columns: list[str | None] = [ALIASES.get(_folded(name)) for name in header]
    unknown = [name for name, column in zip(header, columns, strict=True) if column is None]
    missing = sorted(REQUIRED - set(filter(None, columns)), key=COLUMNS.index)
    if "TenantId" not in columns and "Domain" not in columns:
        missing.insert(0, "TenantId / Domain")
    if unknown or missing:
        problems = []
        if missing:
            problems.append(_("missing: %(names)s") % {"names": ", ".join(missing)})
        if unknown:
            problems.append(_("not recognised: %(names)s") % {"names": ", ".join(unknown)})
        raise FileRefused(
            _(
                "The file's columns aren't the expected ones (%(problems)s). Expected a header "
                "line with %(columns)s (TenantId or Domain; PhoneNumber and TemplateId may be "
                "empty), separated by commas or semicolons."
            )
            % {"problems": "; ".join(problems), "columns": expected_columns()}
        )
    reader = csv.reader(text, delimiter=delimiter)
    number = 1
    try:
        for values in reader:
            number += 1
            if not any(value.strip() for value in values):
                continue
            if number - 1 > max_rows:
                raise FileRefused(
                    _(
                        "The file has more than %(limit)s rows. Split it into files of at most "
                        "%(limit)s rows."
                    )
                    % {"limit": f"{max_rows:,}".replace(",", " ")}
                )
            row = {FIELDS[c]: "" for c in COLUMNS}
            for column, value in zip(columns, values, strict=False):
                if column is not None:
                    row[FIELDS[column]] = value.strip()
            yield number, row
    except UnicodeDecodeError as error:
        raise _refuse_encoding() from error
    except csv.Error as error:
        raise FileRefused(
            _("Row %(row)s can't be read as CSV: %(error)s") % {"row": number, "error": error}
        ) from error
