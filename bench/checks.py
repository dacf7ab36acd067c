"""That the synthetic data set is true: its evidence chain verifies, and every relationship's
stored status is what the portal itself would store."""

from __future__ import annotations

import io
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from customers.models import AgreementStatus, Customer, Relationship
from customers.status import refresh_agreement_status

# Above this many customers, the status check takes a sample (plus the named customers).
CHECK_ALL_UP_TO = 5000
SAMPLE = 2000


def verify_chain() -> str:
    """verify_evidence's verdict; raises CommandError (naming the record) when broken."""
    output = io.StringIO()
    call_command("verify_evidence", stdout=output)
    return output.getvalue().strip()


def snapshot(customer_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Every column of the customers' relationships, the status as readers see it (a lapsed
    invitation is nothing on record, however it is stored)."""
    fields = Relationship._meta.concrete_fields
    seen = {}
    for relationship in Relationship.objects.filter(customer_id__in=customer_ids):
        values = {field.attname: getattr(relationship, field.attname) for field in fields}
        status = relationship.effective_agreement_status
        values["agreement_status"] = status
        values["invited_until"] = (
            relationship.invited_until if status == AgreementStatus.INVITED else None
        )
        seen[relationship.pk] = values
    return seen


def status_mismatches(marker: dict[str, Any]) -> list[str]:
    """Relationships whose stored columns differ from what refresh_agreement_status makes of
    the records and invitations (every customer up to CHECK_ALL_UP_TO, else a sample)."""
    customers = Customer.objects.order_by("?" if marker["customers"] > CHECK_ALL_UP_TO else "id")
    named = [marker["heavy"], marker["one"], marker["small_one"], *marker["pool"][:50]]
    ids = list(
        customers.values_list("id", flat=True)[
            : SAMPLE if marker["customers"] > CHECK_ALL_UP_TO else None
        ]
    )
    ids += list(Customer.objects.filter(tenant_id__in=named).values_list("id", flat=True))
    before = snapshot(ids)
    with transaction.atomic():
        for customer in Customer.objects.filter(id__in=ids):
            refresh_agreement_status(customer)
        after = snapshot(ids)
        transaction.set_rollback(True)
    problems = []
    for pk, stored in before.items():
        computed = after.get(pk, {})
        differ = {
            name: (value, computed.get(name))
            for name, value in stored.items()
            if computed.get(name) != value
        }
        if differ:
            problems.append(f"relationship {pk}: (stored, the portal's) {differ}")
    return problems


def check_statuses(marker: dict[str, Any]) -> str:
    problems = status_mismatches(marker)
    if problems:
        raise CommandError(
            f"{len(problems)} relationships disagree with the records and invitations:\n"
            + "\n".join(problems[:20])
        )
    return "Relationships (statuses and the columns kept with them) agree with the records and invitations."
