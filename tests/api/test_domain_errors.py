"""Domain exceptions are answered from one table, portal/api_urls.py's DOMAIN_ERRORS."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from agreements.services import AttestationNotAllowed, DuplicateAttestation
from orders.services import GateDecision, OrderBlocked
from portal.api.errors import exception_handler

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("error", "status", "code", "description"),
    [
        (
            DuplicateAttestation("Already on record."),
            409,
            600061,
            "PartnerConfirmedAgreementAlreadyExists: Already on record.",
        ),
        (AttestationNotAllowed("Ask your provider."), 403, 900123, "Ask your provider."),
        (
            OrderBlocked(
                GateDecision(allowed=False, reason="Not accepted.", unblock_hint="Attest.")
            ),
            403,
            13605,
            "Not accepted. Attest.",
        ),
    ],
    ids=["duplicate-attestation", "attestation-not-allowed", "order-blocked"],
)
def test_each_domain_exception_is_answered_with_its_status_and_code(
    error, status, code, description
):
    response = exception_handler(error, {})
    assert response.status_code == status
    assert response.data == {
        "code": code,
        "description": description,
        "data": [],
        "source": "MCAPortal",
    }


def test_a_subclass_is_answered_like_the_class_it_refines():
    class LateDuplicate(DuplicateAttestation):
        pass

    response = exception_handler(LateDuplicate("Again."), {})
    assert (response.status_code, response.data["code"]) == (409, 600061)


def test_any_other_validation_error_is_invalid_input():
    response = exception_handler(ValidationError("Something is off."), {})
    assert (response.status_code, response.data["code"]) == (400, 800002)
    assert response.data["data"] == ["Something is off."]


def test_the_table_answers_even_before_any_url_was_resolved():
    """A fresh process that calls the handler before Django loaded a URLconf."""
    script = (
        "import django; django.setup(); import sys\n"
        "from portal.api.errors import exception_handler\n"
        "from agreements.services import DuplicateAttestation\n"
        "assert 'portal.api_urls' not in sys.modules\n"
        "response = exception_handler(DuplicateAttestation('Again.'), {})\n"
        "print(response.status_code, response.data['code'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["409", "600061"]
