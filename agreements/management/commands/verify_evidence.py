import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import CharField
from django.db.models.functions import Cast

from agreements.evidence import Row, check_chain, checkpoints_in
from agreements.models import Acceptance, EvidenceChainHead, EvidenceCheckpoint
from agreements.signing import load_public_keys, verification_keys

# Values that a tampered row may hold in a form Python can't convert (a date PostgreSQL keeps
# but Python can't, a malformed UUID) are read back as text and parsed here.
TEXT_COLUMNS = {
    "recorded_at_text": "recorded_at",
    "date_agreed_text": "date_agreed",
    "public_id_text": "public_id",
    "tenant_id_text": "customer__tenant_id",
    "template_uuid_text": "template__template_id",
    "bulk_job_text": "bulk_job",
    "signatory_text": "signatory",
}
COLUMNS = [
    "id",
    "sequence",
    "statement",
    "key_id",
    "signature",
    "previous_hash",
    "chain_hash",
    "first_name",
    "last_name",
    "email",
    "phone",
    "method",
    "channel",
    "document_sha256",
    "ip_address",
    "user_agent",
    "customer_id",
    "template_id",
    "partner_id",
    "recorded_by_id",
    "partner__partner_id",
]


def legacy_hash(row, recorded_at, date_agreed, public_id) -> str:
    """The hash of a record written before signing, recomputed by the model's own layout."""
    record = Acceptance(
        public_id=public_id,
        customer_id=row["customer_id"],
        template_id=row["template_id"],
        method=row["method"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        email=row["email"],
        phone=row["phone"] or "",
        date_agreed=date_agreed,
        partner_id=row["partner_id"],
        recorded_by_id=row["recorded_by_id"],
        channel=row["channel"],
        recorded_at=recorded_at,
        ip_address=row["ip_address"],
        user_agent=row["user_agent"],
        document_sha256=row["document_sha256"],
        previous_hash=row["previous_hash"],
    )
    return record.compute_hash()


class Command(BaseCommand):
    help = (
        "Walk the acceptance evidence chain: recompute every hash, check every link, signature "
        "and signed checkpoint. Given checkpoints or receipts kept elsewhere (--checkpoint), "
        "also catches a rewrite with recomputed hashes and the removal of the newest records. "
        "Exits non-zero and names the first bad record."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE",
            help="A checkpoint, receipt or list of them exported earlier (repeatable).",
        )
        parser.add_argument(
            "--keys",
            metavar="FILE",
            help="Public keys (PEM or the published JSON key set) instead of the portal's own.",
        )

    def handle(self, *args, **options) -> None:
        keys = (
            load_public_keys(Path(options["keys"]).read_bytes())
            if options["keys"]
            else verification_keys()
        )
        external: list[dict] = []
        for path in options["checkpoint"]:
            try:
                external.extend(checkpoints_in(json.loads(Path(path).read_text("utf-8"))))
            except (OSError, ValueError) as error:
                raise CommandError(f"Can't read checkpoint file {path}: {error}") from error
        head = EvidenceChainHead.objects.filter(pk=1).first()
        report = check_chain(
            self._rows(),
            keys,
            legacy_hash,
            head=(head.last_hash, head.count, head.unsigned_prefix) if head else None,
            checkpoints=self._checkpoints(),
            external=external,
        )
        if not report.intact:
            raise CommandError("\n".join(report.problems))
        legacy = f", {report.unsigned} of them from before signing" if report.unsigned else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Evidence chain intact: {report.records} records verified{legacy}; "
                f"{report.checkpoints} checkpoints agree."
            )
        )

    def _rows(self):
        annotations = {name: Cast(source, CharField()) for name, source in TEXT_COLUMNS.items()}
        queryset = (
            Acceptance.objects.annotate(**annotations)
            .order_by("sequence")
            .values(*COLUMNS, *TEXT_COLUMNS)
        )
        for values in queryset.iterator(chunk_size=2000):
            yield Row(values)

    def _checkpoints(self):
        for checkpoint in EvidenceCheckpoint.objects.order_by("count").iterator(chunk_size=2000):
            try:
                yield checkpoint.as_json()
            except ValueError:
                yield {"statement": {}, "signature": None}
