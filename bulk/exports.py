"""The two files a bulk job hands out, streamed a batch at a time: the template (the partner's
customers with nothing on record) and a job's results. A short batch is the last (no query to
find nothing more). Cells are neutralised against formula injection (agreements.exports.inert)
and the files start with a byte-order mark for Excel."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from agreements.exports import BOM, attestation_file_lines, inert
from bulk.csvfiles import COLUMNS
from bulk.models import BulkJob, BulkRow
from customers.models import AgreementStatus, Relationship
from customers.selectors import relationships_for
from portal.models import User

BATCH_SIZE = 2_000
RESULT_COLUMNS = [*COLUMNS, "Outcome", "RecordId", "ErrorCode", "Message"]
NOTHING_ON_RECORD = [AgreementStatus.NONE, AgreementStatus.INVITED, AgreementStatus.BLOCKED]


class _Line:
    def write(self, line: str) -> str:
        return line


def template_lines(user: User) -> Iterator[bytes]:
    """The file to fill in: the agent's customers with nothing on record."""
    relationships = relationships_for(user).filter(agreement_status__in=NOTHING_ON_RECORD)
    return attestation_file_lines(
        Relationship.objects.filter(pk__in=relationships.values("pk")), batch_size=BATCH_SIZE
    )


def result_lines(job: BulkJob) -> Iterator[bytes]:
    writer = csv.writer(_Line())
    yield (BOM + writer.writerow(RESULT_COLUMNS)).encode()
    after = 0
    while True:
        batch = list(
            job.rows.filter(number__gt=after)
            .order_by("number")
            .values_list(
                "number",
                *BulkRow.INPUT_FIELDS,
                "outcome",
                "acceptance__public_id",
                "code",
                "message",
            )[:BATCH_SIZE]
        )
        if not batch:
            return
        after = batch[-1][0]
        yield "".join(
            writer.writerow(
                [
                    *(inert(value) for value in row[1:9]),
                    row[9],
                    str(row[10]) if row[10] else "",
                    row[11] if row[11] is not None else "",
                    inert(row[12]),
                ]
            )
            for row in batch
        ).encode()
        if len(batch) < BATCH_SIZE:
            return
