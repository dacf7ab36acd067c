"""Queries per request, counted in-process (Django's test client) for each page at two data
sizes in one run: as the big partner's agent (90% of the customers, a 1,001-record history) and
as the small partner's (0.5%, a one-record history). A count that differs grows with the data."""

from __future__ import annotations

import datetime
import json
import statistics
import time
from typing import Any
from urllib.parse import quote

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from bench.operations import deep_token
from customers.models import Relationship
from portal.models import Partner, User

# The in-process client's host, whatever ALLOWED_HOSTS this process was given.
IN_PROCESS = override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"])


def _agent_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _attestation(marker: dict[str, Any], n: int) -> str:
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    stamp = int(time.time() * 1000)
    return json.dumps(
        {
            "primaryContact": {
                "firstName": "Bench",
                "lastName": f"Counter {n}",
                "email": f"bench.counter.{stamp}.{n}@example.com",
            },
            "templateId": marker["template_v2"],
            "dateAgreed": yesterday,
            "type": "MicrosoftCustomerAgreement",
        }
    )


def query_counts(marker: dict[str, Any], tokens: dict[str, str]) -> list[dict[str, Any]]:
    agents = {size: User.objects.get(email=marker["agents"][size]) for size in ("big", "small")}
    partners = {size: Partner.objects.get(partner_id=marker["partners"][size]) for size in agents}
    operator = User.objects.get(email=marker["operator"])
    # A customer of the small partner's to attest for (never its one-record customer).
    spare = (
        Relationship.objects.filter(partner=partners["small"])
        .exclude(customer__tenant_id=marker["small_one"])
        .values_list("customer__tenant_id", flat=True)
        .first()
    )
    history = {"big": marker["heavy"], "small": marker["small_one"]}
    writable = {"big": marker["pool"][0], "small": str(spare)}
    deep = {size: quote(deep_token(partners[size])) for size in partners}
    pages: list[tuple[str, str, Any]] = [
        ("/dashboard/", "web", lambda s: "/dashboard/"),
        ("/customers/ page 1", "web", lambda s: "/customers/"),
        ("/customers/?q=Zelenina", "web", lambda s: "/customers/?q=Zelenina"),
        ("/customers/?country=DE&status=attested", "web",
         lambda s: "/customers/?country=DE&status=attested"),
        ("/customers/ last page", "web", lambda s: "/customers/?page=999999"),
        ("Account info (history of 1,001 / 1)", "web", lambda s: f"/customers/{history[s]}/"),
        ("GET /v1/customers?size=100", "api", lambda s: "/v1/customers?size=100"),
        ("GET /v1/customers, a deep page", "api",
         lambda s: f"/v1/customers?size=100&continuationToken={deep[s]}"),
        ("GET …/agreements (1,001 / 1)", "api", lambda s: f"/v1/customers/{history[s]}/agreements"),
        ("POST …/agreements", "post", lambda s: f"/v1/customers/{writable[s]}/agreements"),
        ("admin customer changelist", "admin", lambda s: "/admin/customers/customer/"),
        ("admin changelist ?q=Zelenina", "admin", lambda s: "/admin/customers/customer/?q=Zelenina"),
    ]  # fmt: skip
    web = {size: _agent_client(agents[size]) for size in agents}
    api = {size: Client(HTTP_AUTHORIZATION=f"Bearer {tokens[size]}") for size in agents}
    admin = _agent_client(operator)
    counter = iter(range(10**9))

    def request(kind: str, size: str, path: str):
        if kind == "web":
            return web[size].get(path)
        if kind == "api":
            return api[size].get(path)
        if kind == "post":
            return api[size].post(
                path, _attestation(marker, next(counter)), content_type="application/json"
            )
        return admin.get(path)

    rows = []
    with IN_PROCESS:
        for name, kind, path_for in pages:
            sizes = ("big",) if kind == "admin" else ("big", "small")
            # Caches filled (and each token's first use recorded) outside the counts.
            for size in sizes:
                request(kind, size, path_for(size))
            row: dict[str, Any] = {"page": name}
            for size in sizes:
                with CaptureQueriesContext(connection) as captured:
                    response = request(kind, size, path_for(size))
                row[size] = len(captured.captured_queries)
                row[f"{size}_status"] = response.status_code
            rows.append(row)
    return rows


def server_time(agent: User, path: str, repeat: int = 9) -> float:
    """The page's median time in-process (no HTTP, no gunicorn), in milliseconds."""
    client = _agent_client(agent)
    with IN_PROCESS:
        for _ in range(2):
            client.get(path)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000
