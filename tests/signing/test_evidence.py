"""A signatory acceptance is evidence like every record: signed and chained, with a receipt
that verifies offline; a row altered afterwards is caught; the relationship counts it as the
partner's acceptance on record (attested)."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from agreements.evidence import verify_receipt
from agreements.models import Acceptance
from agreements.signing import verification_keys
from customers.models import AgreementStatus, Relationship
from tests.signing.conftest import accept

pytestmark = pytest.mark.django_db


def test_the_record_has_a_receipt_that_verifies(client, sam, acme, start_signing, verified):
    request, path = start_signing(acme)
    accept(client, path, verified(path))
    record = Acceptance.objects.get()
    client.force_login(sam)
    response = client.get(f"/customers/{acme.tenant_id}/agreements/{record.public_id}/receipt/")
    assert response.status_code == 200
    receipt = response.json()
    assert receipt["record"]["method"] == "signatory_acceptance"
    assert receipt["record"]["signatory"]["typedSignature"] == "Jana Nováková"
    assert receipt["record"]["signatory"]["attestationId"] == str(request.public_id)
    assert verify_receipt(receipt, verification_keys()) == []


def test_the_relationship_counts_it_as_attested(client, acme, start_signing, verified):
    _request, path = start_signing(acme)
    accept(client, path, verified(path))
    assert Relationship.objects.get(customer=acme).agreement_status == AgreementStatus.ATTESTED


def test_an_altered_typed_signature_is_caught(client, acme, start_signing, verified):
    _request, path = start_signing(acme)
    accept(client, path, verified(path))
    call_command("verify_evidence", verbosity=0)
    if connection.vendor == "postgresql":
        pytest.skip("the database's trigger refuses the UPDATE itself (tested in agreements)")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE agreements_acceptance SET signatory = json_set(signatory, "
            "'$.typedSignature', 'Someone Else')"
        )
    with pytest.raises(CommandError, match="signatory"):
        call_command("verify_evidence", verbosity=0)


def test_account_info_says_accepted_by_signatory(client, sam, acme, start_signing, verified):
    _request, path = start_signing(acme)
    accept(client, path, verified(path))
    client.force_login(sam)
    page = client.get(f"/customers/{acme.tenant_id}/").content.decode()
    agreement = page.split('id="agreement"', 1)[1].split("</section>", 1)[0]
    assert "Accepted by signatory" in agreement
