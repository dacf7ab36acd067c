"""``manage.py bench_bulk --rows N``: bulk attestation's throughput and memory, end to end, on
PostgreSQL.

On an empty database (migrated; it refuses SQLite and any database with customers it didn't
make) it makes N customers of one partner (then ANALYZE, as a live database keeps its
statistics), times the single-call API (POST /v1/customers/{id}/agreements through Django's
test client) and then, each in a process of its own as in production (DEBUG off):

- the preview: a CSV file of N rows read from disk and checked (``bulk.services.create_job``,
  the upload's path), every row stored with its finding;
- the job: ``manage.py worker --batch`` on the database backend, one worker, writing every
  row's signed, chained evidence.

It prints rows/s for each and end to end (preview + job) beside the single-call API's rate,
each process's CPU time a row and peak resident memory (VmHWM) beside an idle worker's, and
whether ``verify_evidence`` passed. Compare N = 10,000 and 50,000: the worker's peak memory
should not grow with N.

    createdb -h 127.0.0.1 -U postgres bulkbench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bulkbench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bulkbench .venv/bin/python manage.py bench_bulk --rows 50000
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from agreements.models import AgreementDocument, AgreementTemplate
from bulk import services
from bulk.csvfiles import COLUMNS, MAX_ROWS, read_rows
from bulk.models import BulkJob, Mode, Source, Status
from customers.models import Customer, Relationship
from portal.models import ApiToken, Partner, PartnerKind, Role, User

MARKER = "Bulk Bench Partner"
DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
}


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: its own, since it started; a child's
    ru_maxrss on Linux starts from its parent's at the fork)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def run_measured(arguments: list[str]) -> tuple[float, float, dict]:
    """``manage.py bench_bulk *arguments`` in a process of its own (DEBUG off: its query log
    would keep every statement); its wall time in seconds, its CPU seconds, and what it
    reported (its last line, JSON)."""
    env = {**os.environ, "DEBUG": "0"}
    with tempfile.TemporaryFile("w+") as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "bench_bulk", *arguments],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read()
    if process.returncode != 0:
        raise CommandError(f"manage.py bench_bulk {' '.join(arguments)} failed:\n{text}")
    return elapsed, usage.ru_utime + usage.ru_stime, json.loads(text.strip().splitlines()[-1])


class Command(BaseCommand):
    help = "Bulk attestation rows/s and peak memory on PostgreSQL, beside the single-call API."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--rows", type=int, default=50_000)
        parser.add_argument("--single", type=int, default=300, help="Single API calls to time.")
        # The preview's own process: check this file's rows as this agent's upload.
        parser.add_argument("--preview-file", help=argparse.SUPPRESS)
        parser.add_argument("--agent", type=int, help=argparse.SUPPRESS)
        # The worker's own process: ``manage.py worker --batch``, then its peak memory.
        parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, rows: int, single: int, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("bench_bulk measures PostgreSQL: set DATABASE_URL=postgres://…")
        if options.get("preview_file"):
            self.preview(options["preview_file"], options["agent"], rows)
            return
        if options.get("worker"):
            call_command("worker", batch=True, reload=False, startup_delay=False, verbosity=0)
            self.stdout.write(json.dumps({"peak_mb": peak_rss_mb()}))
            return
        if Customer.objects.exclude(relationships__partner__name=MARKER).exists():
            raise CommandError(
                "This database holds customers bench_bulk didn't make: use an empty one."
            )
        out = self.stdout.write
        partner, agent = self.world()
        customers = self.customers(partner, rows + single)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        out(f"{len(customers)} customers ready")

        # The single-call API, for comparison.
        _token, secret = ApiToken.issue(user=agent, name=f"bench-{uuid.uuid4().hex[:6]}")
        client = Client(headers={"Authorization": f"Bearer {secret}"})
        template = AgreementTemplate.objects.get(title=MARKER)
        started = time.perf_counter()
        for customer in customers[rows:]:
            response = client.post(
                f"/v1/customers/{customer.tenant_id}/agreements",
                json.dumps(
                    {
                        "primaryContact": {
                            "firstName": "Jana",
                            "lastName": "Nováková",
                            "email": f"jana.{customer.pk}@example.cz",
                        },
                        "templateId": str(template.template_id),
                        "dateAgreed": "2026-01-15",
                        "type": "MicrosoftCustomerAgreement",
                    }
                ),
                content_type="application/json",
            )
            assert response.status_code == 201, response.content
        single_rate = single / (time.perf_counter() - started)

        with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8") as upload:
            upload.write(",".join(COLUMNS) + "\r\n")
            for c in customers[:rows]:
                upload.write(
                    f"{c.tenant_id},,Jana,Nováková,jana.{c.pk}@example.cz,+420601123456,"
                    "2026-01-15,\r\n"
                )
            upload.flush()
            del customers
            _wall, preview_cpu, found = run_measured(
                ["--preview-file", upload.name, "--agent", str(agent.pk), "--rows", str(rows)]
            )
        job = BulkJob.objects.get(pk=found["job"])
        preview, preview_rss = found["seconds"], found["peak_mb"]
        assert job.valid == rows, (job.valid, rows)

        # An idle worker (nothing queued): what any worker holds before its first job.
        _wall, _cpu, idle = run_measured(["--worker"])
        with override_settings(TASKS=DATABASE_TASKS):
            services.start_job(job, Mode.VALID_ONLY)
        worker_wall, worker_cpu, worker = run_measured(["--worker"])
        job.refresh_from_db()
        assert job.status == Status.COMPLETED and job.succeeded == rows, (job.status, job.succeeded)
        assert job.started_at and job.completed_at
        elapsed = (job.completed_at - job.started_at).total_seconds()
        started = time.perf_counter()
        try:
            call_command("verify_evidence", verbosity=0)
            verified = "passed"
        except (CommandError, SystemExit) as error:
            verified = f"FAILED ({error})"
        verify_time = time.perf_counter() - started
        out(
            f"preview of {rows} rows (read, checked, stored): {preview:.1f} s = "
            f"{rows / preview:,.0f} rows/s; its process: {1000 * preview_cpu / rows:.2f} ms "
            f"CPU a row, peak memory {preview_rss:.0f} MB"
        )
        out(
            f"bulk job, {rows} rows through one worker: {elapsed:.1f} s = "
            f"{rows / elapsed:,.0f} rows/s; the worker process: {worker_wall:.1f} s with its "
            f"start, {1000 * worker_cpu / rows:.2f} ms CPU a row"
        )
        out(
            f"end to end (preview + job): {rows / (preview + elapsed):,.0f} rows/s; "
            f"single-call API: {single_rate:,.0f} attestations/s"
        )
        out(
            f"worker peak memory: {worker['peak_mb']:.0f} MB (an idle worker: "
            f"{idle['peak_mb']:.0f} MB)"
        )
        out(f"verify_evidence: {verified} in {verify_time:.1f} s")

    def preview(self, path: str, agent_id: int, rows: int) -> None:
        agent = User.objects.select_related("partner").get(pk=agent_id)
        started = time.perf_counter()
        with open(path, "rb") as upload:
            job = services.create_job(
                user=agent,
                rows=read_rows(upload, max_rows=max(MAX_ROWS, rows)),
                source=Source.WEB,
                filename="bench.csv",
            )
        seconds = time.perf_counter() - started
        self.stdout.write(json.dumps({"job": job.pk, "seconds": seconds, "peak_mb": peak_rss_mb()}))

    def world(self) -> tuple[Partner, User]:
        partner, _created = Partner.objects.get_or_create(
            name=MARKER,
            defaults={
                "partner_id": "9" + uuid.uuid4().hex[:8],
                "kind": PartnerKind.DIRECT_BILL,
                "country": "CZ",
            },
        )
        agent, _created = User.objects.get_or_create(
            email="bench@bulk.example", defaults={"partner": partner, "role": Role.ADMIN_AGENT}
        )
        if not AgreementTemplate.objects.filter(title=MARKER).exists():
            template = AgreementTemplate.objects.create(
                version_rank=900, title=MARKER, published_on=datetime.date(2025, 1, 1)
            )
            document = AgreementDocument(
                template=template, country="CZ", language="cs-CZ", content_type="text/plain"
            )
            document.file.save("bench.txt", ContentFile(b"Bench agreement"), save=False)
            document.save()
        return partner, agent

    def customers(self, partner: Partner, count: int) -> list[Customer]:
        existing = list(
            Customer.objects.filter(
                relationships__partner=partner, acceptances__isnull=True
            ).order_by("pk")[:count]
        )
        missing = count - len(existing)
        now = timezone.now()
        for start in range(0, missing, 5000):
            batch = Customer.objects.bulk_create(
                [
                    Customer(
                        company_name=f"Bench {uuid.uuid4().hex[:10]}",
                        domain=f"b{uuid.uuid4().hex[:16]}.onmicrosoft.com",
                        country="CZ",
                        address_line1="Václavské náměstí 1",
                        city="Praha",
                        postal_code="110 00",
                        language="cs",
                        contact_first_name="Jana",
                        contact_last_name="Nováková",
                        contact_email="jana@example.cz",
                        created_at=now,
                    )
                    for _ in range(min(5000, missing - start))
                ]
            )
            Relationship.objects.bulk_create(
                [Relationship(partner=partner, customer=c, activated_at=now) for c in batch]
            )
            existing += batch
        return existing
