"""``manage.py bench_bulk --rows N``: bulk attestation's throughput, end to end, on PostgreSQL.

On an empty database (migrated; it refuses SQLite and any database with customers it didn't
make) it makes N customers of one partner, uploads a CSV of N rows through the preview
(bulk.services.create_job, the web's path), runs the job with ``manage.py worker --batch`` on the
database backend, and prints rows/s beside the single-call API's rate (POST
/v1/customers/{id}/agreements, through Django's test client), the process's peak memory, and
whether ``verify_evidence`` passed. Run it in a fresh process for each N to compare peak memory:

    createdb -h 127.0.0.1 -U postgres bulkbench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bulkbench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bulkbench .venv/bin/python manage.py bench_bulk --rows 50000
"""

from __future__ import annotations

import datetime
import io
import json
import resource
import time
import uuid

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from agreements.models import AgreementDocument, AgreementTemplate
from bulk import services
from bulk.csvfiles import read_rows
from bulk.models import Mode, Source, Status
from customers.models import Customer, Relationship
from portal.models import ApiToken, Partner, PartnerKind, Role, User

MARKER = "Bulk Bench Partner"
DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Bulk attestation rows/s on PostgreSQL, beside the single-call API's rate."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--rows", type=int, default=50_000)
        parser.add_argument("--single", type=int, default=300, help="Single API calls to time.")

    def handle(self, *args, rows: int, single: int, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("bench_bulk measures PostgreSQL: set DATABASE_URL=postgres://…")
        if Customer.objects.exclude(relationships__partner__name=MARKER).exists():
            raise CommandError(
                "This database holds customers bench_bulk didn't make: use an empty one."
            )
        out = self.stdout.write
        partner, agent = self.world()
        customers = self.customers(partner, rows + single)
        out(f"{len(customers)} customers ready; peak memory so far {peak_mb():.0f} MB")

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

        lines = ["TenantId,Domain,FirstName,LastName,Email,PhoneNumber,DateAgreed,TemplateId"]
        lines += [
            f"{c.tenant_id},,Jana,Nováková,jana.{c.pk}@example.cz,+420601123456,2026-01-15,"
            for c in customers[:rows]
        ]
        data = ("\r\n".join(lines) + "\r\n").encode()
        del lines
        started = time.perf_counter()
        job = services.create_job(
            user=agent,
            rows=read_rows(io.BytesIO(data), max_rows=rows),
            source=Source.WEB,
            filename="bench.csv",
        )
        preview = time.perf_counter() - started
        assert job.valid == rows, (job.valid, rows)
        with override_settings(TASKS=DATABASE_TASKS):
            services.start_job(job, Mode.VALID_ONLY)
            started = time.perf_counter()
            call_command("worker", batch=True, reload=False, startup_delay=False, verbosity=0)
            elapsed = time.perf_counter() - started
        job.refresh_from_db()
        assert job.status == Status.COMPLETED and job.succeeded == rows, (job.status, job.succeeded)
        started = time.perf_counter()
        try:
            call_command("verify_evidence", verbosity=0)
            verified = "passed"
        except (CommandError, SystemExit) as error:
            verified = f"FAILED ({error})"
        verify_time = time.perf_counter() - started
        out(f"preview of {rows} rows: {preview:.1f} s ({rows / preview:,.0f} rows/s)")
        out(
            f"bulk job, {rows} rows through the worker: {elapsed:.1f} s = {rows / elapsed:,.0f} rows/s "
            f"(single-call API: {single_rate:,.0f} attestations/s)"
        )
        out(f"peak memory (this process, ru_maxrss): {peak_mb():.0f} MB")
        out(f"verify_evidence: {verified} in {verify_time:.1f} s")

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
