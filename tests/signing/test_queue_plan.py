"""On PostgreSQL the dashboard queue's signing links are read through their partial index
(partner, newest first, past the accepted and the replaced): the dashboard's cost doesn't
grow with a partner's accepted links. Test tables are tiny, so sequential scans are off: the
question is whether the index *can* serve."""

import pytest
from django.conf import settings
from django.db import connection

from signing import services
from signing.models import SigningRequest, SigningStatus
from signing.selectors import attention_requests

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: the plan asked about exists only there",
    ),
]


def test_the_queues_links_come_through_the_attention_index(sam, acme, start_signing):
    for number in range(30):
        signatory = services.Signatory("Jana", f"Nováková {number}", f"jana{number}@acme.example")
        request, _path = start_signing(acme, signatory=signatory)
        SigningRequest.objects.filter(pk=request.pk).update(status=SigningStatus.ACCEPTED)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE signing_signingrequest")
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = attention_requests(sam.partner)[:11].explain()
    assert "signing_attention_idx" in plan, plan
