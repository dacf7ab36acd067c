"""The one home of the bulk jobs over selected relationships (invitations.models'
BulkRelationshipJob and BulkRelationshipResult, the task steps in invitations.bulk): bulk
invitations and signing links in bulk both stand on it."""

import pytest
from django.core.exceptions import ValidationError

from invitations.bulk import refusal
from invitations.models import (
    BulkInvitationJob,
    BulkInvitationResult,
    BulkJobStatus,
    BulkRelationshipJob,
    BulkRelationshipResult,
)
from signing.models import BulkSigningJob, BulkSigningResult


@pytest.mark.parametrize("model", [BulkInvitationJob, BulkSigningJob])
def test_both_jobs_share_the_base_and_keep_their_own_names(model):
    assert issubclass(model, BulkRelationshipJob)
    assert model._meta.ordering == ["-created_at", "-pk"]
    shared = {"partner", "created_by", "selection", "status", "total", "processed", "cursor"}
    assert shared <= {field.name for field in model._meta.fields}
    assert len({index.name for index in model._meta.indexes}) == 2


@pytest.mark.parametrize(
    ("status", "total", "processed", "percent"),
    [
        (BulkJobStatus.QUEUED, None, 0, 0),
        (BulkJobStatus.COMPLETED, 0, 0, 100),
        (BulkJobStatus.RUNNING, 10, 3, 30),
        (BulkJobStatus.RUNNING, 3, 5, 100),
    ],
)
@pytest.mark.parametrize("model", [BulkInvitationJob, BulkSigningJob])
def test_percent_is_the_same_for_both_jobs(model, status, total, processed, percent):
    job = model(status=status, total=total, processed=processed)
    assert job.percent == percent
    assert job.finished == (status == BulkJobStatus.COMPLETED)


@pytest.mark.parametrize("model", [BulkInvitationResult, BulkSigningResult])
def test_both_results_share_the_base(model):
    assert issubclass(model, BulkRelationshipResult)
    names = {field.name for field in model._meta.fields}
    assert {"job", "relationship", "outcome", "reason", "message"} <= names
    assert str(model(job_id=7, relationship_id=9, outcome="skipped")) == "7/9: skipped"


def test_a_refusal_becomes_a_reason_and_a_message():
    assert refusal(ValidationError("No.", code="not_lapsed")) == ("not_lapsed", "No.")
    assert refusal(ValidationError(["One.", "Two."])) == ("refused", "One. Two.")
    assert refusal(ValidationError("Long.", code="x" * 50))[0] == "x" * 40
