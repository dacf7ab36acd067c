"""The benchmark's output: Markdown tables, so a run pastes as it is into an issue."""

from __future__ import annotations

import math
from typing import Any


def kilobytes(size: int | None) -> str:
    """A page's size, so that an anchor "of the same size" can be seen to be one."""
    return "" if size is None else f"{size / 1024:.1f}"


def ms(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "–"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def ratio(value: float) -> str:
    if math.isnan(value):
        return "–"
    if value >= 10:
        return f"{value:.0f}×"
    if value >= 1:
        return f"{value:.1f}×"
    if value <= 0:
        return "0×"
    return f"{value:.2g}×" + (f" (1/{1 / value:.0f})" if value < 0.1 else "")


def verdict(met: bool | None) -> str:
    return {True: "met", False: "MISSED", None: ""}[met]


def table(header: list[str], rows: list[list[str]], right: set[int]) -> str:
    widths = [
        max(len(header[i]), *(len(row[i]) for row in rows)) if rows else len(header[i])
        for i in range(len(header))
    ]

    def line(cells: list[str]) -> str:
        padded = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = (
        "|"
        + "|".join(
            ("-" * (w + 1) + ":") if i in right else ("-" * (w + 2)) for i, w in enumerate(widths)
        )
        + "|"
    )
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def mb(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:,.0f} MB"


def export_lines(export: dict[str, Any]) -> list[str]:
    """The whole-CSV export: its rate, the rate a million rows in a minute needs, and the
    serving worker's memory (flat: no more at the end than a tenth of the way in)."""
    complete = export["rows"] == export["expected_rows"]
    row = [
        export["operation"] + ("" if export["status"] == 200 else f" (HTTP {export['status']})"),
        f"{export['rows']:,}" + ("" if complete else f" of {export['expected_rows']:,}"),
        f"{export['mb']:,.1f}",
        ms(export["first_byte_ms"]),
        f"{export['seconds']:.1f}",
        f"{export['rows_per_s']:,.0f}",
        f"{export['projected_s']:.0f}",
        (export["goal"] + " " + verdict(export["met"])).strip(),
    ]
    lines = [
        "The whole customers list as CSV, streamed once through gunicorn to the client (which "
        "reads it as it arrives); seconds to the last byte, and a million rows at that rate:",
        "",
        table(
            ["operation", "rows", "MB", "first byte", "s", "rows/s", "s per 1M", "goal"],
            [row],
            {1, 2, 3, 4, 5, 6},
        ),
    ]
    worker = export.get("worker")
    if worker:
        lines += [
            "",
            "The serving worker's resident set (from /proc; RSS sampled after each chunk the "
            "client read; HWM: the worker's peak since it started):",
            "",
            table(
                [
                    "worker",
                    "RSS before",
                    "a tenth in",
                    "peak",
                    "after",
                    "HWM before",
                    "HWM after",
                    "goal",
                ],
                [
                    [
                        f"pid {worker['pid']}",
                        mb(worker["rss_before_mb"]),
                        mb(worker["rss_early_mb"]),
                        mb(worker["rss_peak_mb"]),
                        mb(worker["rss_after_mb"]),
                        mb(worker["hwm_before_mb"]),
                        mb(worker["hwm_after_mb"]),
                        f"flat: {worker['flat_goal']} {verdict(worker['flat'])}",
                    ]
                ],
                {1, 2, 3, 4, 5, 6},
            ),
        ]
    return lines


def render(results: dict[str, Any]) -> str:
    meta = results["meta"]
    load_before = " / ".join(f"{x:.2f}" for x in meta["load_before"])
    load_after = " / ".join(f"{x:.2f}" for x in meta["load_after"])
    rows = meta["rows"]
    counts = " · ".join(f"{label} {count:,}" for label, count in rows.items())
    commit = meta["commit"] + (" with uncommitted changes" if meta["uncommitted"] else "")
    lines = [
        "",
        f"## MCA Portal benchmark (issues 11 and 12): {meta['customers']:,} customers",
        "",
        f"- When: {meta['started']}, commit {commit}",
        f"- Machine: {meta['cpus']} CPUs; load average (1/5/15 min) {load_before} before, "
        f"{load_after} after",
        f"- Served by gunicorn, {meta['workers']} sync workers, DEBUG off, PostgreSQL "
        f"{meta['postgresql']} (database {meta['database']}); the client runs on the same machine",
        f"- Data set: seed {meta['seed']}, built {meta['built_at'][:16]} in {meta['build_seconds']:.0f} s; "
        f"the measured agent's partner holds {meta['big_partner_customers']:,} customers, the small "
        f"partner {meta['small_partner_customers']:,}",
        f"- Rows: {counts}",
        f"- Requests: up to {meta['requests']} per operation, interleaved with its anchors (at least "
        f"5; fewer when a row would take over {meta['row_seconds']:.0f} s); the admin's search as an "
        f"anchor: {meta['admin_requests']}. Times in ms, measured by the client.",
        "",
    ]
    read_rows = []
    previous = None
    for row in results["reads"]:
        if "skipped" in row:
            read_rows.append([row["operation"], *[""] * 5, f"skipped: {row['skipped']}", *[""] * 5])
            continue
        same = row["operation"] == previous
        previous = row["operation"]
        errors = row["errors"]
        flag = (
            " (errors: "
            + ", ".join(
                f"{side} HTTP {sorted(set(codes))}" for side, codes in errors.items() if codes
            )
            + ")"
            if any(errors.values())
            else ""
        )
        read_rows.append(
            [
                "  same" if same else row["operation"] + flag,
                "" if same else str(row["n"]),
                "" if same or row["rows"] is None else str(row["rows"]),
                "" if same else kilobytes(row.get("bytes")),
                "" if same else ms(row["p50_ms"]),
                "" if same else ms(row["p95_ms"]),
                row["anchor"],
                str(row["anchor_n"]),
                kilobytes(row.get("anchor_bytes")),
                ms(row["anchor_p50_ms"]),
                ratio(row["ratio"]),
                (row["goal"] + " " + verdict(row["met"])).strip(),
            ]
        )
    lines.append(
        table(
            "operation n rows KB p50 p95 anchor n KB anchor-p50 ratio goal".split(),
            read_rows,
            {1, 2, 3, 4, 5, 7, 8, 9, 10},
        )
    )
    export = results.get("export")
    if export:
        lines += ["", *export_lines(export)]
    if results["writes"]:
        write_rows = [
            [
                "POST /v1/customers/{id}/agreements",
                str(row["concurrency"]),
                str(row["op"]["n"]),
                f"{row['op']['rate']:.1f}/s",
                ms(row["op"]["p50_ms"]),
                ms(row["op"]["p95_ms"]),
                f"{row['anchor']['rate']:.1f}/s",
                ms(row["anchor"]["p50_ms"]),
                ratio(row["ratio"]),
                (row["goal"] + " " + verdict(row["met"])).strip()
                + (
                    f" (errors {row['op']['errors']} / {row['anchor']['errors']})"
                    if row["op"]["errors"] or row["anchor"]["errors"]
                    else ""
                ),
            ]
            for row in results["writes"]
        ]
        lines += [
            "",
            "Attestation writes against a one-row DRF write (same token, parsing and contact "
            "validation, one INSERT), in alternating rounds; ratio of the rates:",
            "",
            table(
                [
                    "operation",
                    "concurrency",
                    "n",
                    "rate",
                    "p50",
                    "p95",
                    "one-row write",
                    "p50",
                    "ratio",
                    "goal",
                ],
                write_rows,
                {1, 2, 3, 4, 5, 6, 7, 8},
            ),
        ]
    big, small = meta["big_partner_customers"], meta["small_partner_customers"]
    earlier = results.get("compare")
    header = ["page", f"agent of {big:,} customers", f"agent of {small:,} customers"]
    if earlier:
        header.append(f"the first, at {earlier['customers']:,} customers ({earlier['file']})")
    query_rows = []
    for row in results["queries"]:
        statuses = {row.get("big_status"), row.get("small_status")} - {None, 200, 201}
        cells = [
            row["page"] + (f" (HTTP {sorted(statuses)})" if statuses else ""),
            str(row["big"]),
            str(row.get("small", "–")),
        ]
        if earlier:
            cells.append(str(earlier["queries"].get(row["page"], "–")))
        query_rows.append(cells)
    lines += [
        "",
        "Queries per request, in-process (Django's test client), at two data sizes: the big and "
        "the small partner's agent in this run"
        + (", and the big partner's in an earlier run" if earlier else "")
        + ". A page with fewer rows (an empty search, a last page) may need a query less; "
        "compare one page across sizes with --compare FILE (the --json of a run at another size).",
        "",
        table(header, query_rows, set(range(1, len(header)))),
        "",
        f"- /customers/ page 1 in-process (no HTTP), median of 9: {meta['list_server_ms']:.1f} ms "
        f"(goal < 25 ms: {verdict(meta['list_server_ms'] < 25)})",
    ]
    lines += [f"- {note}" for note in results["notes"]]
    return "\n".join(lines) + "\n"
