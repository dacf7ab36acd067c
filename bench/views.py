"""The anchors manage.py bench measures pages against, served only when settings.BENCH_ANCHORS
is on (bench/urls.py, included by portal/urls.py behind that setting).

Each is the floor of what its page does: the same sign-in, middleware and scoping, and one
query for the same rows, with nothing else (no count, no form, no template).
"""

from __future__ import annotations

import json
import uuid

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from rest_framework.response import Response

from agreements.api import PrimaryContactSerializer
from customers.models import Customer
from customers.selectors import relationships_for
from portal.api.views import ApiView
from portal.decorators import agent_required

MAX_ROWS = 100
# The most rows the page anchor renders (a dashboard is some tens of KB).
MAX_PAGE_ROWS = 1000


def _listed(raw: str, parse) -> list:
    values = []
    for item in raw.split(",")[:MAX_ROWS]:
        try:
            values.append(parse(item))
        except ValueError:
            continue
    return values


@agent_required
@require_GET
def customer_rows(request: HttpRequest) -> JsonResponse:
    """The rows a customers-list page shows (``?ids=`` their tenant ids, in its order), in one
    query, scoped to the agent's partner as the list is."""
    ids = _listed(request.GET.get("ids", ""), uuid.UUID)
    rows = {
        row["customer__tenant_id"]: row
        for row in relationships_for(request.user)  # type: ignore[arg-type]
        .filter(customer__tenant_id__in=ids)
        .values(
            "customer__tenant_id",
            "customer__company_name",
            "customer__domain",
            "customer__country",
            "agreement_status",
            "invited_until",
        )
    }
    return JsonResponse({"rows": [rows[i] for i in ids if i in rows]})


@agent_required
@require_GET
def customer_page(request: HttpRequest) -> HttpResponse:
    """Issue 12's anchor for the dashboard, in its words "a bare one-query view rendering a
    page of the same size": in one query, scoped as the list is, rendered as an HTML page of a
    table (no layout, no other query), either the customers a page links to (``?ids=``, in that
    order) or the first ``?rows=`` of the agent's customers list (its name order), as many as
    make a page of the size asked for (bench.operations.page_of_the_same_size)."""
    relationships = relationships_for(request.user).select_related("customer")  # type: ignore[arg-type]
    if "rows" in request.GET:
        try:
            count = max(0, min(MAX_PAGE_ROWS, int(request.GET["rows"])))
        except ValueError:
            count = 0
        rows = list(relationships.order_by("customer_sort_name", "id")[:count])
    else:
        ids = _listed(request.GET.get("ids", ""), uuid.UUID)
        found = {
            relationship.customer.tenant_id: relationship
            for relationship in relationships.filter(customer__tenant_id__in=ids)
        }
        rows = [found[i] for i in ids if i in found]
    return render(request, "bench/customer_page.html", {"rows": rows})


@require_GET
def admin_customer_rows(request: HttpRequest) -> JsonResponse:
    """The rows an admin changelist page shows (``?pks=``), in one query; operators only."""
    if not request.user.is_staff:
        raise PermissionDenied
    pks = _listed(request.GET.get("pks", ""), int)
    rows = {
        row["id"]: row
        for row in Customer.objects.filter(pk__in=pks).values(
            "id", "company_name", "domain", "country", "language", "tenant_id", "created_at"
        )
    }
    return JsonResponse({"rows": [rows[pk] for pk in pks if pk in rows]})


class OneRowWrite(ApiView):
    """A one-row DRF write: the attestation POST's authentication, parsing and contact
    validation, then one INSERT into the benchmark's own table."""

    schema = None

    def post(self, request):
        contact = PrimaryContactSerializer(data=request.data.get("primaryContact"))
        contact.is_valid(raise_exception=True)
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_write (created_at, email, body) VALUES (%s, %s, %s) "
                "RETURNING id",
                [timezone.now(), contact.validated_data["email"], json.dumps(request.data)],
            )
            (pk,) = cursor.fetchone()
        return Response({"id": pk}, status=201)
