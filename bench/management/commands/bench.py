"""``manage.py bench``: issue 11's benchmark, run on demand (``make bench``), never in the suite.

Builds N synthetic customers on the configured PostgreSQL database (or reuses the set it built
there before), serves the portal with gunicorn, and measures each operation of the issue's
table against its anchor, interleaved, plus queries per request at two data sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import dataset
from bench.checks import check_statuses, verify_chain

SMALL_ENOUGH_TO_VERIFY = 100_000


class Command(BaseCommand):
    help = (
        "Issue 11's benchmark: build N synthetic customers on PostgreSQL (never SQLite, never a "
        "database holding data it didn't make), serve the portal with gunicorn and print p50/p95 "
        "of each operation against its anchor, measured in the same run."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--customers", type=int, default=1_000_000, help="Default 1,000,000.")
        parser.add_argument("--seed", type=int, default=dataset.DEFAULT_SEED)
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="Build again even when the database holds a set of this size already.",
        )
        parser.add_argument(
            "--build-only",
            action="store_true",
            help="Build (or reuse) the data set; measure nothing.",
        )
        parser.add_argument(
            "--verify",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="After building, run verify_evidence and check the stored statuses "
            f"(default: on up to {SMALL_ENOUGH_TO_VERIFY:,} customers).",
        )
        parser.add_argument("--requests", type=int, default=30, help="Requests per operation.")
        parser.add_argument(
            "--admin-requests",
            type=int,
            default=5,
            help="Requests of the Django admin's search when it is the anchor (seconds each at 1M).",
        )
        parser.add_argument(
            "--row-seconds",
            type=float,
            default=30.0,
            help="Time budget of one table row: a slow operation gets fewer requests (at least 5).",
        )
        parser.add_argument(
            "--write-requests", type=int, default=60, help="POSTs per concurrency level and side."
        )
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")
        parser.add_argument(
            "--only", default="", help="Measure only operations whose name contains this."
        )
        parser.add_argument("--json", metavar="FILE", help="Also write the results as JSON.")
        parser.add_argument(
            "--compare",
            metavar="FILE",
            help="The --json of an earlier run (at another size): its queries per request are "
            "printed beside this run's.",
        )

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                f"The benchmark runs on PostgreSQL only; DATABASE_URL names a {connection.vendor} "
                "database. Set DATABASE_URL=postgres://… (an empty database, or one the benchmark "
                "made), e.g. postgres://postgres@127.0.0.1:5432/bench."
            )
        out = self.stdout.write
        database = connection.settings_dict["NAME"]
        with connection.cursor() as cursor:
            foreign = dataset.foreign_data(cursor)
        if foreign:
            raise CommandError(
                f"The database {database!r} holds data the benchmark didn't make ("
                + "; ".join(foreign)
                + "). It builds only on an empty database or one it made: create one, e.g. "
                "`createdb bench`, and point DATABASE_URL at it."
            )
        call_command("migrate", interactive=False, verbosity=0)
        with connection.cursor() as cursor:
            marker = dataset.read_marker(cursor)
        fresh = False
        if (
            marker is not None
            and not options["rebuild"]
            and marker["customers"] == options["customers"]
            and marker["seed"] == options["seed"]
        ):
            out(
                f"Reusing the data set built on {marker['built_at']:%Y-%m-%d %H:%M %Z} "
                f"({marker['customers']:,} customers, built in {marker['build_seconds']:.0f} s); "
                "--rebuild builds it again."
            )
        else:
            if marker is not None:
                with connection.cursor() as cursor:
                    dataset.wipe(cursor, out)
            marker = self.build(options["customers"], options["seed"])
            fresh = True
        verify = options["verify"]
        if verify is None:
            verify = fresh and options["customers"] <= SMALL_ENOUGH_TO_VERIFY
        if verify:
            self.verify(marker)
        if options["build_only"]:
            return
        if options["compare"]:
            options["compare"] = self.earlier(options["compare"])
        from bench.run import run

        results = run(marker, options, out)
        if options["json"]:
            Path(options["json"]).write_text(json.dumps(results, indent=2, default=str) + "\n")
            out(f"Results written to {options['json']}.")

    def build(self, customers: int, seed: int) -> dict:
        out = self.stdout.write
        started = time.perf_counter()
        out(
            f"Building {customers:,} customers (seed {seed}) on {connection.settings_dict['NAME']}…"
        )
        dataset.Builder(customers, seed, out).build()
        with connection.cursor() as cursor:
            marker = dataset.read_marker(cursor)
        assert marker is not None
        out(
            self.style.SUCCESS(
                f"Data set built in {time.perf_counter() - started:.0f} s "
                f"(load average {', '.join(f'{x:.2f}' for x in os.getloadavg())})."
            )
        )
        return marker

    def earlier(self, path: str) -> dict:
        try:
            earlier = json.loads(Path(path).read_text())
            return {
                "file": Path(path).name,
                "customers": earlier["meta"]["customers"],
                "queries": {row["page"]: row["big"] for row in earlier["queries"]},
            }
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"Can't read the earlier run {path}: {error}") from error

    def verify(self, marker: dict) -> None:
        out = self.stdout.write
        started = time.perf_counter()
        out(verify_chain())
        out(check_statuses(marker))
        out(f"  checked in {time.perf_counter() - started:.0f} s")
