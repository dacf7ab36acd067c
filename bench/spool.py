"""Rows in COPY's text format, spooled to a temporary file until the table is loaded."""

from __future__ import annotations

import datetime
import tempfile
import time
from collections.abc import Callable
from typing import IO

ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NULL = "\\N"


def esc(value: str) -> str:
    """A text value as COPY reads it (backslash, tab and line breaks escaped)."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(ESCAPES)
    return value


def stamp(moment: datetime.datetime) -> str:
    return moment.isoformat()


class Spool:
    """The rows of one table, spooled to a temporary file, then COPYed in one stream."""

    def __init__(self, table: str, columns: list[str]):
        self.table = table
        self.columns = columns
        self.file: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.rows = 0

    def add(self, fields: list[str]) -> None:
        """One row, each field already text (esc() for free text, NULL for none)."""
        self.file.write("\t".join(fields))
        self.file.write("\n")
        self.rows += 1

    def load(self, cursor, out: Callable[[str], None]) -> None:
        """COPY the rows in through psycopg's ``cursor.copy()``."""
        started = time.perf_counter()
        self.file.seek(0)
        names = ", ".join(self.columns)
        with cursor.copy(f"COPY {self.table} ({names}) FROM STDIN") as copy:
            while chunk := self.file.read(1 << 20):
                copy.write(chunk)
        self.file.close()
        out(f"  COPY {self.table}: {self.rows:,} rows in {time.perf_counter() - started:.1f} s")
