"""Email addresses that wrap at their seams, not mid-word, in narrow columns."""

from __future__ import annotations

import html
import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# A line may end after the @ and before each dot: "firstname.lastname@" / "contoso" / ".example".
_SEAMS = re.compile(r"(?<=@)|(?=\.)")


@register.filter(needs_autoescape=True)
def email_seams(value: object, autoescape: bool = True) -> SafeString | str:
    """An email address in a <span class="email"> with a <wbr> at each seam; any other text as
    it is. A cell then wraps an address only there (its width is at least its longest piece,
    and a narrow table scrolls in its box instead of cutting a word)."""
    text = str(value)
    escape = conditional_escape if autoescape else str
    if "@" not in text:
        return escape(text)
    pieces = [piece for piece in _SEAMS.split(text) if piece]
    seamed = "<wbr>".join(str(escape(piece)) for piece in pieces)
    return mark_safe(f'<span class="email" data-email>{seamed}</span>')


_DOTS = re.compile(r"(?=\.)")


@register.filter(needs_autoescape=True)
def domain_seams(value: object, autoescape: bool = True) -> SafeString | str:
    """A domain with a <wbr> before each dot ("graphicdesigninstitute" / ".onmicrosoft" /
    ".com"): a narrow column wraps it there rather than mid-word or by widening the table."""
    escape = conditional_escape if autoescape else str
    pieces = [str(escape(piece)) for piece in _DOTS.split(str(value)) if piece]
    return mark_safe("<wbr>".join(pieces))


def plain_domain_seams(domain: str) -> str:
    """``domain_seams`` of plain text (not already marked safe), escaped: what a page written
    in one pass puts in a cell (customers/templatetags/customer_rows.py), without the filter's
    checks of every piece."""
    return "<wbr>".join(html.escape(piece) for piece in _DOTS.split(domain) if piece)
