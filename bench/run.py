"""One benchmark run over HTTP: sign in, measure every comparison interleaved with its anchors,
the whole CSV export streamed once (its rate and the serving worker's memory), the attestation
writes at several concurrencies, and the queries per request in-process."""

from __future__ import annotations

import datetime
import itertools
import json
import math
import os
import secrets
import subprocess
import threading
import time
import warnings
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from bench import dataset
from bench.http import Answer, Client, Server, cpu_seconds, memory_mb
from bench.operations import (
    EXPORT,
    EXPORT_FLAT_MB,
    EXPORT_GOAL_ROWS,
    EXPORT_GOAL_SECONDS,
    EXPORT_PATH,
    FLOOR,
    Anchor,
    Call,
    Comparison,
    Goal,
    admin_floor,
    admin_rows,
    dashboard_comparison,
    deep_position,
    deep_token,
    export_speed_met,
    list_comparisons,
    sort_comparisons,
    under,
    within,
)
from bench.queries import query_counts, server_time
from bench.report import render
from customers.selectors import visible_relationships
from portal.models import ApiToken, Partner, User

WRITE_CONCURRENCY = (1, 2, 4, 8)
# Where a continuation token can't be made here, the deep page is reached by following
# links.next this many times through pages of this size.
MAX_WALK_SIZE = 500
MAX_WALK_PAGES = 40


def percentile(values: list[float], q: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def environment() -> dict[str, Any]:
    def git(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", *args], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=10
            ).stdout.strip()
        except OSError:
            return ""

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
        counts = {}
        for table, label in (
            ("customers_customer", "customers"),
            ("customers_relationship", "relationships"),
            ("agreements_acceptance", "acceptances"),
            ("agreements_evidencecheckpoint", "checkpoints"),
            ("invitations_invitation", "invitations"),
            ("portal_user", "users"),
            ("portal_partner", "partners"),
        ):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            counts[label] = cursor.fetchone()[0]
    return {
        "started": timezone.now().isoformat(timespec="seconds"),
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted": bool(git("status", "--porcelain", "--untracked-files=no")),
        "postgresql": postgres,
        "database": connection.settings_dict["NAME"],
        "cpus": os.cpu_count(),
        "rows": counts,
    }


class Runner:
    def __init__(self, marker: dict[str, Any], options: dict[str, Any], out: Callable[[str], None]):
        self.marker = marker
        self.options = options
        self.out = out
        self.clients: dict[str, Client] = {}

    # -- one comparison --

    def call(self, call: Call) -> Answer:
        return self.clients[call.who].get(call.path)

    def measure(self, comparison: Comparison) -> list[dict[str, Any]]:
        requests, budget = self.options["requests"], self.options["row_seconds"]
        first = None
        for _ in range(3):  # each of the two workers compiles its templates once
            first = self.call(comparison.op)
        assert first is not None
        base = {"operation": comparison.name, "about": comparison.about}
        if first.status != comparison.op.expect:
            self.out(f"  {comparison.name}: HTTP {first.status}, skipped")
            return [{**base, "skipped": f"HTTP {first.status} (expected {comparison.op.expect})"}]
        rows = comparison.rows_on_page(first) if comparison.rows_on_page else None
        calls: list[tuple[Anchor, Call, int | None]] = []
        sizes: list[int] = []
        cost = first.seconds
        for anchor in comparison.anchors:
            if anchor.fit is not None:
                call = anchor.fit(first, self.call)
            elif anchor.derive is not None:
                call, _count = anchor.derive(first)
            else:
                assert anchor.call is not None
                call = anchor.call
            warm = [self.call(call) for _ in range(1 if anchor.budget else 3)][-1]
            if warm.status != call.expect:
                raise CommandError(
                    f"The anchor {anchor.name} ({call.path}) answered HTTP {warm.status}."
                )
            limit = self.options["admin_requests"] if anchor.budget == "admin" else None
            calls.append((anchor, call, limit))
            sizes.append(len(warm.body))
            cost += warm.seconds * (min(limit, requests) / requests if limit else 1)
        n = max(5, min(requests, int(budget / max(cost, 1e-6))))
        samples: dict[int, list[float]] = {index: [] for index in range(len(calls) + 1)}
        errors: dict[int, list[int]] = {index: [] for index in range(len(calls) + 1)}
        for i in range(n):
            turn = [(0, comparison.op)] + [
                (index + 1, call)
                for index, (_a, call, limit) in enumerate(calls)
                if limit is None or i < limit
            ]
            if i % 2:
                turn.reverse()
            for index, call in turn:
                answer = self.call(call)
                samples[index].append(answer.seconds)
                if answer.status != call.expect:
                    errors[index].append(answer.status)
        op_p50, op_p95 = percentile(samples[0], 0.5), percentile(samples[0], 0.95)
        results = []
        for index, (anchor, call, _limit) in enumerate(calls, start=1):
            anchor_p50 = percentile(samples[index], 0.5)
            goal: Goal | None = anchor.goal
            results.append(
                {
                    **base,
                    "n": len(samples[0]),
                    "p50_ms": op_p50 * 1000,
                    "p95_ms": op_p95 * 1000,
                    "rows": rows,
                    "bytes": len(first.body),
                    "anchor": anchor.name,
                    "anchor_bytes": sizes[index - 1],
                    "anchor_path": call.path if anchor.derive is None else None,
                    "anchor_n": len(samples[index]),
                    "anchor_p50_ms": anchor_p50 * 1000,
                    "anchor_p95_ms": percentile(samples[index], 0.95) * 1000,
                    "ratio": op_p50 / anchor_p50 if anchor_p50 else math.nan,
                    "goal": goal.text if goal else "",
                    "met": goal.met(op_p50, anchor_p50) if goal and goal.met else None,
                    "errors": {"operation": errors[0], "anchor": errors[index]},
                }
            )
        ratio = results[0]["ratio"] if results else math.nan
        self.out(
            f"  {comparison.name}: p50 {op_p50 * 1000:.1f} ms (n={n}), "
            f"{results[0]['anchor'] if results else ''} {ratio:.2f}×"
        )
        return results

    # -- the deep API page --

    def deep_page(self, partner: Partner, size: int) -> tuple[str, str]:
        """A /v1/customers page DEEP into the partner's customers by name, and how it was
        reached: a continuation token made here as portal.api.pagination makes it (fast at
        any depth), else by following links.next from the first page for a while."""
        position = deep_position(partner)
        path = f"/v1/customers?size={size}&continuationToken={quote(deep_token(partner))}"
        answer = self.clients["api"].get(path)
        items = json.loads(answer.body).get("items") if answer.status == 200 else None
        # Only if the page starts at the very next customer does the token mean what it did.
        if items and items[0].get("id") == position.next_tenant_id:
            return path, (
                f"row {position.offset:,} of {position.total:,} (a continuation token made for it)"
            )
        # The token means something else now: walk through the API itself, big pages at a time.
        walk, pages = f"/v1/customers?size={MAX_WALK_SIZE}", 0
        while pages < MAX_WALK_PAGES:
            answer = self.clients["api"].get(walk)
            links = json.loads(answer.body).get("links") if answer.status == 200 else None
            if not links:
                break
            walk, pages = links["next"]["uri"], pages + 1
        path = walk.replace(f"size={MAX_WALK_SIZE}", f"size={size}")
        return path, f"after {pages * MAX_WALK_SIZE:,} rows (links.next followed {pages} times)"

    # -- the export --

    def export(self, server: Server, expected_rows: int) -> dict[str, Any]:
        """The web agent's whole customers list as CSV, streamed once through gunicorn and read
        as it arrives; each worker's resident set sampled after each chunk."""
        workers = server.worker_pids()
        before = {pid: memory_mb(pid) for pid in workers}
        cpu = {pid: cpu_seconds(pid) for pid in workers}
        peak = {pid: before[pid].get("VmRSS", 0.0) for pid in workers}
        # Each worker's resident set once a tenth of the rows are out: what a batch costs,
        # against which the peak shows whether memory grows with the rows.
        early: dict[int, float] = {}

        def sample(lines: int) -> None:
            for pid in workers:
                rss = memory_mb(pid).get("VmRSS", 0.0)
                peak[pid] = max(peak[pid], rss)
                if pid not in early and lines >= expected_rows / 10:
                    early[pid] = rss

        streamed = self.clients["web"].stream(EXPORT_PATH, sample)
        # The worker that served it: the one that spent the CPU.
        serving = max(workers, key=lambda pid: cpu_seconds(pid) - cpu[pid]) if workers else None
        rows = max(streamed.lines - 1, 0)
        result: dict[str, Any] = {
            "operation": EXPORT,
            "status": streamed.status,
            "rows": rows,
            "expected_rows": expected_rows,
            "mb": streamed.size / 1e6,
            "seconds": streamed.seconds,
            "first_byte_ms": streamed.first_byte * 1000,
            "rows_per_s": rows / streamed.seconds if streamed.seconds else math.nan,
            "goal": f"{EXPORT_GOAL_ROWS:,} rows < {EXPORT_GOAL_SECONDS} s",
            "met": streamed.status == 200
            and rows == expected_rows
            and export_speed_met(rows, streamed.seconds),
            "projected_s": streamed.seconds * EXPORT_GOAL_ROWS / rows if rows else math.nan,
        }
        if serving is not None:
            after = memory_mb(serving)
            start = before[serving].get("VmRSS", math.nan)
            tenth = early.get(serving, start)
            result["worker"] = {
                "pid": serving,
                "rss_before_mb": start,
                "hwm_before_mb": before[serving].get("VmHWM", math.nan),
                "rss_early_mb": tenth,
                "rss_peak_mb": peak[serving],
                "rss_after_mb": after.get("VmRSS", math.nan),
                "hwm_after_mb": after.get("VmHWM", math.nan),
                "flat_goal": f"peak ≤ early + {EXPORT_FLAT_MB} MB",
                "flat": peak[serving] - tenth <= EXPORT_FLAT_MB,
            }
        self.out(
            f"  {EXPORT}: {rows:,} rows in {streamed.seconds:.1f} s "
            f"({result['rows_per_s']:,.0f} rows/s), HTTP {streamed.status}"
        )
        return result

    # -- writes --

    def writes(self, token: str) -> list[dict[str, Any]]:
        """POST …/agreements against the one-row DRF write, at each concurrency: rounds of each
        side alternate, every thread its own connection, distinct contacts and customers."""
        pool = self.marker["pool"]
        yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
        run = secrets.token_hex(3)
        counter = itertools.count()
        base = self.clients["api"].base

        def body(n: int) -> bytes:
            return json.dumps(
                {
                    "primaryContact": {
                        "firstName": "Bench",
                        "lastName": f"Writer {n}",
                        "email": f"bench.writer.{run}.{n}@example.com",
                        "phoneNumber": "",
                    },
                    "templateId": self.marker["template_v2"],
                    "dateAgreed": yesterday,
                    "type": "MicrosoftCustomerAgreement",
                }
            ).encode()

        def attest(client: Client) -> Answer:
            n = next(counter)
            return client.post_json(f"/v1/customers/{pool[n % len(pool)]}/agreements", body(n))

        def write(client: Client) -> Answer:
            return client.post_json("/bench/anchor/write", body(next(counter)))

        def round_of(action, threads: int, each: int) -> tuple[float, list[Answer]]:
            answers: list[Answer] = []
            lock = threading.Lock()
            start = threading.Barrier(threads + 1)

            def worker() -> None:
                client = Client(base, token)
                start.wait()
                mine = [action(client) for _ in range(each)]
                with lock:
                    answers.extend(mine)

            workers = [threading.Thread(target=worker) for _ in range(threads)]
            for thread in workers:
                thread.start()
            start.wait()
            began = time.perf_counter()
            for thread in workers:
                thread.join()
            return time.perf_counter() - began, answers

        results = []
        for threads in WRITE_CONCURRENCY:
            each = max(2, self.options["write_requests"] // (threads * 3))
            sides: dict[str, dict[str, Any]] = {
                name: {"seconds": 0.0, "answers": []} for name in ("op", "anchor")
            }
            # Warm every worker, not only the ones a single client happens to reach: a
            # worker's first attestation prepares its statements and loads the signing key,
            # tens of milliseconds that the rate at concurrency 1 would otherwise count.
            warming = max(threads, self.options["workers"])
            for _ in range(2):
                round_of(attest, warming, 1)
                round_of(write, warming, 1)
            for turn in range(3):
                order = (("op", attest, 201), ("anchor", write, 201))
                for name, action, _expect in order if turn % 2 == 0 else reversed(order):
                    seconds, answers = round_of(action, threads, each)
                    sides[name]["seconds"] += seconds
                    sides[name]["answers"] += answers
            row: dict[str, Any] = {"concurrency": threads}
            for name, side in sides.items():
                answers = side["answers"]
                latencies = [a.seconds for a in answers]
                row[name] = {
                    "n": len(answers),
                    "rate": len(answers) / side["seconds"],
                    "p50_ms": percentile(latencies, 0.5) * 1000,
                    "p95_ms": percentile(latencies, 0.95) * 1000,
                    "errors": sorted({a.status for a in answers if a.status != 201}),
                }
            row["ratio"] = row["op"]["rate"] / row["anchor"]["rate"]
            if threads == 1:
                row["goal"], row["met"] = "≥ 0.5× anchor", row["ratio"] >= 0.5
            elif threads == 4:
                row["goal"], row["met"] = "≥ 150 /s", row["op"]["rate"] >= 150
            else:
                row["goal"], row["met"] = "", None
            self.out(
                f"  POST …/agreements at concurrency {threads}: {row['op']['rate']:.1f}/s, "
                f"one-row write {row['anchor']['rate']:.1f}/s"
            )
            results.append(row)
        return results


def run(
    marker: dict[str, Any], options: dict[str, Any], out: Callable[[str], None]
) -> dict[str, Any]:
    # WhiteNoise's note that nothing was collected (DEBUG off): no static file is requested.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    runner = Runner(marker, options, out)
    meta = environment()
    meta.update(
        customers=marker["customers"],
        seed=marker["seed"],
        built_at=str(marker["built_at"]),
        build_seconds=marker["build_seconds"],
        workers=options["workers"],
        requests=options["requests"],
        admin_requests=options["admin_requests"],
        row_seconds=options["row_seconds"],
        load_before=os.getloadavg(),
    )
    with connection.cursor() as cursor:
        cursor.execute(dataset.WRITE_DDL)  # the one-row write's table (a set built before it)
    big = Partner.objects.get(partner_id=marker["partners"]["big"])
    small = Partner.objects.get(partner_id=marker["partners"]["small"])
    agent = User.objects.get(email=marker["agents"]["big"])
    small_agent = User.objects.get(email=marker["agents"]["small"])
    token, secret = ApiToken.issue(user=agent, name="manage.py bench", lifetime_days=1)
    small_token, small_secret = ApiToken.issue(
        user=small_agent, name="manage.py bench", lifetime_days=1
    )
    only = options["only"]
    try:
        out("Queries per request (in-process)…")
        queries = query_counts(marker, {"big": secret, "small": small_secret})
        list_server_ms = server_time(agent, "/customers/")
        out(f"Serving the portal with gunicorn ({options['workers']} workers)…")
        with Server(options["workers"]) as server:
            runner.clients = {
                "web": Client(server.base),
                "admin": Client(server.base),
                "api": Client(server.base, secret),
            }
            runner.clients["web"].sign_in("/login/", agent.email, dataset.PASSWORD)
            runner.clients["admin"].sign_in("/admin/login/", marker["operator"], dataset.PASSWORD)
            page_one = runner.call(Call("web", "/customers/"))
            comparisons = [
                dashboard_comparison(),
                *list_comparisons(marker["one"][:8]),
                *sort_comparisons(page_one),
            ]
            notes = []
            if not any(c.about == "sorted" for c in comparisons):
                notes.append(
                    "Sorting: /customers/ offers no sort order yet (no ?sort=, ?ordering= or ?o= "
                    "on page 1), so no sorted variants were measured."
                )
            deep_path, deep_how = runner.deep_page(big, 100)
            notes.append(f"Deep API page: {deep_how}.")
            heavy, one = marker["heavy"], marker["one"]
            comparisons += [
                Comparison(
                    "Account info, 1,001 records",
                    Call("web", f"/customers/{heavy}/"),
                    [
                        Anchor(
                            "same page, 1 record",
                            Call("web", f"/customers/{one}/"),
                            goal=within(1.5),
                        )
                    ],
                ),
                Comparison(
                    "GET /v1/customers?size=100, a deep page",
                    Call("api", deep_path),
                    [Anchor("first page", Call("api", "/v1/customers?size=100"), goal=within(2))],
                ),
                Comparison(
                    "GET …/agreements, 1,001 records",
                    Call("api", f"/v1/customers/{heavy}/agreements"),
                    [
                        Anchor(
                            "1 record",
                            Call("api", f"/v1/customers/{one}/agreements"),
                            goal=within(1.5),
                        )
                    ],
                ),
                Comparison(
                    "admin customer changelist",
                    Call("admin", "/admin/customers/customer/"),
                    [Anchor(FLOOR, derive=admin_floor, goal=under(500))],
                    rows_on_page=admin_rows,
                ),
                Comparison(
                    "admin customer changelist ?q=Zelenina",
                    Call("admin", "/admin/customers/customer/?q=Zelenina"),
                    [Anchor(FLOOR, derive=admin_floor, goal=under(500))],
                    rows_on_page=admin_rows,
                ),
            ]
            out("Measuring (each operation interleaved with its anchors)…")
            reads = []
            for comparison in comparisons:
                if only and only not in comparison.name:
                    continue
                reads += runner.measure(comparison)
            export = (
                runner.export(server, visible_relationships(big).count())
                if only in EXPORT
                else None
            )
            writes = [] if only and only not in "POST …/agreements" else runner.writes(secret)
            server_errors = server.errors()
        if server_errors:
            notes.append(
                f"The server logged {len(server_errors)} error lines, the last: "
                f"{server_errors[-1]} (whole log: {server.log})."
            )
        else:
            server.log.unlink(missing_ok=True)
    finally:
        token.revoke(by=agent)
        small_token.revoke(by=small_agent)
    meta["load_after"] = os.getloadavg()
    meta["list_server_ms"] = list_server_ms
    meta["small_partner_customers"] = small.relationships.count()
    meta["big_partner_customers"] = big.relationships.count()
    results = {
        "meta": meta,
        "reads": reads,
        "export": export,
        "writes": writes,
        "queries": queries,
        "notes": notes,
    }
    if options.get("compare"):
        results["compare"] = options["compare"]
    out(render(results))
    return results
