"""Cells of the CSV files the portal writes (OWASP: CSV injection)."""

from __future__ import annotations

# A spreadsheet reads a cell that starts with one of these as a formula; a leading apostrophe
# makes it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The file starts with a byte-order mark, so Excel reads Czech names as UTF-8.
BOM = "\ufeff"


def inert(value: str | None) -> str | None:
    return "'" + value if value and value.startswith(FORMULA_STARTS) else value
