"""The portal's one way of writing a date and a moment, per language (FORMAT_MODULE_PATH).

Every page, email and message writes a date with DATE_FORMAT and a moment with DATETIME_FORMAT
(in the portal's time zone, which templates and ``timezone.localtime`` apply); the SHORT_ forms
are the same, so nothing can write "11/28/2026" on one page and "Nov. 28, 2026" on the next.
MONTH_DAY_FORMAT labels a chart's weeks. Django's own modules supply the input formats.
"""
