"""Issue 11's and 12's operations, each with its anchor(s): what is measured against what, and
the goal.

A list page's floor is ``bench.views.customer_rows`` for the rows that very page shows (read
from its HTML), so the ratio says how much the page costs above one query for those rows,
however the list finds them. Parameters the list doesn't support yet (sorting) are found on
page 1 itself, so the benchmark measures them once they land and skips them until then.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from django.core import signing
from django.db import connection

from bench.http import Answer
from portal.models import Partner

# (what it is, the term) — calibrated on bench/vocabulary.py: at a million customers the
# first two hit about 61 and 6,700 names, as in the issue.
SEARCHES = (
    ("selective term, late in the alphabet", "Zelenina Šeb"),
    ("common term, late in the alphabet", "Zelenina"),
    ("common term, early in the alphabet", "Autoservis"),
    ("a word inside names, with diacritics", "horák"),
    ("the same without diacritics", "horak"),
    ("middle of a word", "ocházk"),
    ("a contact's email", "jana.dvorakova"),
)
# The searches whose anchors include the Django admin's changelist search (seconds each).
ADMIN_ANCHORED = ("Zelenina Šeb", "Zelenina")
# How deep the "deep page" of /v1/customers starts: this share of the partner's customers.
DEEP = 0.9
CONTINUATION_SALT = "portal.api.continuation"  # portal/api/pagination.py's
SORT_PARAMETERS = ("sort", "ordering", "order", "o")
LAST_PAGE = "999999"  # Django's paginator answers a page past the end with the last page

TENANT_LINK = re.compile(
    r"/customers/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/"
)
ADMIN_LINK = re.compile(r"/admin/customers/customer/(\d+)/change/")


@dataclass(frozen=True)
class Call:
    """One request: as which client (web agent, operator, API caller), what, and its answer."""

    who: str
    path: str
    expect: int = 200


@dataclass(frozen=True)
class Goal:
    text: str
    # Given (operation p50 s, anchor p50 s), whether the goal is met; None: not judged here.
    met: Callable[[float, float], bool] | None = None


@dataclass
class Anchor:
    name: str
    call: Call | None = None
    # Derives the call from the operation's answer (the floor of the rows it shows).
    derive: Callable[[Answer], tuple[Call, int]] | None = None
    # The same, given a way to make requests (an anchor fitted to the answer by trying it).
    fit: Callable[[Answer, Callable[[Call], Answer]], Call] | None = None
    goal: Goal | None = None
    # At most this many requests ("admin": --admin-requests).
    budget: str | None = None


@dataclass
class Comparison:
    name: str
    op: Call
    anchors: list[Anchor]
    about: str = ""
    rows_on_page: Callable[[Answer], int] | None = None
    notes: list[str] = field(default_factory=list)


def unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def list_floor(answer: Answer) -> tuple[Call, int]:
    ids = unique(TENANT_LINK.findall(answer.text()))
    return Call("web", "/bench/anchor/customers/?ids=" + ",".join(ids)), len(ids)


def admin_floor(answer: Answer) -> tuple[Call, int]:
    pks = unique(ADMIN_LINK.findall(answer.text()))
    return Call("admin", "/bench/anchor/admin-customers/?pks=" + ",".join(pks)), len(pks)


def list_rows(answer: Answer) -> int:
    return len(unique(TENANT_LINK.findall(answer.text())))


def admin_rows(answer: Answer) -> int:
    return len(unique(ADMIN_LINK.findall(answer.text())))


def within(times: float) -> Goal:
    return Goal(f"≤ {times:g}× anchor", lambda op, anchor: op <= times * anchor)


def under(milliseconds: int) -> Goal:
    return Goal(f"p50 < {milliseconds} ms", lambda op, anchor: op * 1000 < milliseconds)


FLOOR = "floor: one query, same rows"


def floor_anchor() -> Anchor:
    return Anchor(FLOOR, derive=list_floor, goal=within(5))


PAGE_FLOOR = "one query, a page of the same size"
# The page anchor's rows tried to learn its size per row (two sizes: a fixed part and a slope).
PAGE_PROBES = (10, 110)


def page_of_the_same_size(answer: Answer, fetch: Callable[[Call], Answer]) -> Call:
    """Issue 12's anchor, "a bare one-query view rendering a page of the same size": the
    page anchor (bench.views.customer_page) with as many of the agent's customers as make as
    many bytes as ``answer``. Its size is linear in its rows: two tries give the fixed part
    and the slope."""

    def call(rows: int) -> Call:
        return Call("web", f"/bench/anchor/customer-page/?rows={rows}")

    few, many = PAGE_PROBES
    small, large = (len(fetch(call(rows)).body) for rows in PAGE_PROBES)
    per_row = (large - small) / (many - few)
    if per_row <= 0:  # fewer customers than the probes: the whole list is the most it renders
        return call(many)
    return call(max(1, round(few + (len(answer.body) - small) / per_row)))


def dashboard_comparison() -> Comparison:
    """The dashboard (issue 12: counts, charts, the "needs your action" queue) against issue
    12's anchor, "a bare one-query view rendering a page of the same size": the agent's
    customers in one query, rendered as an HTML table of as many bytes as the dashboard. The
    JSON floor of the rows the dashboard links to (issue 11's anchor for list pages) is shown
    beside it, not judged."""
    return Comparison(
        "/dashboard/",
        Call("web", "/dashboard/"),
        [
            Anchor(PAGE_FLOOR, fit=page_of_the_same_size, goal=within(5)),
            Anchor(FLOOR, derive=list_floor),
        ],
        "compliance overview and queue",
        rows_on_page=list_rows,
    )


# The export (issue 12): the big partner's agent streams its whole customers list as CSV.
EXPORT = "GET /customers/export.csv, the whole list"
EXPORT_PATH = "/customers/export.csv"
# 1,000,000 rows in under a minute, at any data size: this many rows a second.
EXPORT_GOAL_ROWS, EXPORT_GOAL_SECONDS = 1_000_000, 60
# Flat memory: the serving worker's resident set, from a tenth of the rows in to its peak,
# grows by less than this (a batch's strings, not the rows so far).
EXPORT_FLAT_MB = 32


def export_speed_met(rows: int, seconds: float) -> bool:
    return rows / seconds >= EXPORT_GOAL_ROWS / EXPORT_GOAL_SECONDS


def customers_path(**params: str) -> str:
    return "/customers/?" + urlencode(params, quote_via=quote) if params else "/customers/"


def list_comparisons(tenant_prefix: str) -> list[Comparison]:
    comparisons = []
    for about, term in (*SEARCHES, ("tenant-id prefix", tenant_prefix)):
        anchors = [floor_anchor()]
        if term in ADMIN_ANCHORED:
            anchors.append(
                Anchor(
                    "Django admin changelist search",
                    Call(
                        "admin",
                        "/admin/customers/customer/?" + urlencode({"q": term}, quote_via=quote),
                    ),
                    goal=Goal("admin ≥ 50× slower (the admin as before the issue)"),
                    budget="admin",
                )
            )
        comparisons.append(
            Comparison(
                f"/customers/?q={term}",
                Call("web", customers_path(q=term)),
                anchors,
                about,
                rows_on_page=list_rows,
            )
        )
    comparisons.append(
        Comparison(
            "/customers/?country=DE&status=attested",
            Call("web", customers_path(country="DE", status="attested")),
            [floor_anchor()],
            "filters",
            rows_on_page=list_rows,
        )
    )
    comparisons.append(
        Comparison(
            "/customers/ page 1",
            Call("web", "/customers/"),
            [floor_anchor()],
            "page 1",
            rows_on_page=list_rows,
        )
    )
    comparisons.append(
        Comparison(
            "/customers/ last page",
            Call("web", customers_path(page=LAST_PAGE)),
            [floor_anchor(), Anchor("page 1", Call("web", "/customers/"))],
            "the last page",
            rows_on_page=list_rows,
        )
    )
    return comparisons


class _Controls(HTMLParser):
    """Links and <select> options on a page: where the list offers its sort orders."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.options: dict[str, list[str]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(html.unescape(attributes["href"] or ""))
        elif tag == "select":
            self._select = attributes.get("name")
        elif tag == "option" and self._select is not None:
            self.options.setdefault(self._select, []).append(attributes.get("value") or "")

    def handle_endtag(self, tag) -> None:
        if tag == "select":
            self._select = None


def sort_orders(page_one: Answer) -> list[str]:
    """The sort orders page 1 offers, as "parameter=value": links whose query names one of
    SORT_PARAMETERS, or the options of a <select> of that name."""
    controls = _Controls()
    controls.feed(page_one.text())
    found: list[tuple[str, str]] = []
    for href in controls.hrefs:
        parts = urlsplit(href)
        if parts.path not in ("", "/customers/"):
            continue
        for name, value in parse_qsl(parts.query):
            if name in SORT_PARAMETERS and value:
                found.append((name, value))
    for name, values in controls.options.items():
        if name in SORT_PARAMETERS:
            found += [(name, value) for value in values if value]
    return unique([f"{name}={value}" for name, value in found])


def sort_comparisons(page_one: Answer) -> list[Comparison]:
    comparisons = []
    for parameter in sort_orders(page_one)[:12]:
        name, value = parameter.split("=", 1)
        for suffix, path in (
            ("", customers_path(**{name: value})),
            (" last page", customers_path(**{name: value, "page": LAST_PAGE})),
        ):
            comparisons.append(
                Comparison(
                    f"/customers/?{name}={value}{suffix}",
                    Call("web", path),
                    [floor_anchor()],
                    "sorted",
                    rows_on_page=list_rows,
                )
            )
    return comparisons


@dataclass(frozen=True)
class DeepPosition:
    """The customer DEEP into a partner's list by (company name, id), and the one after it."""

    offset: int
    total: int
    name: str
    pk: int
    next_tenant_id: str | None


def deep_position(partner: Partner) -> DeepPosition:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM customers_relationship WHERE partner_id = %s", [partner.pk]
        )
        total = cursor.fetchone()[0]
        offset = int(total * DEEP)
        cursor.execute(
            "SELECT c.company_name, c.id, c.tenant_id FROM customers_customer c "
            "JOIN customers_relationship r ON r.customer_id = c.id AND r.partner_id = %s "
            "ORDER BY c.company_name, c.id OFFSET %s LIMIT 2",
            [partner.pk, offset],
        )
        rows = cursor.fetchall()
    following = str(rows[1][2]) if len(rows) > 1 else None
    return DeepPosition(offset, total, rows[0][0], rows[0][1], following)


def deep_token(partner: Partner) -> str:
    """A /v1/customers continuation token for the page after the customer DEEP into the
    partner's list, made as portal.api.pagination.keyset_page makes it (key company name, id;
    scope customers.<partner pk>), so a deep page costs one request at any depth."""
    position = deep_position(partner)
    return signing.dumps(
        [position.name, position.pk],
        salt=f"{CONTINUATION_SALT}.customers.{partner.pk}",
        compress=True,
    )
