import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements.evidence import verify_receipt
from agreements.signing import load_public_keys, verification_keys


class Command(BaseCommand):
    help = (
        "Verify an acceptance receipt offline: its record's signature and chain hash and its "
        "signed checkpoint, with the portal's public keys (or --keys FILE, the key set "
        "published at /.well-known/mca-evidence-keys.json). Never opens a database connection."
    )
    # No system checks and no migration check: both would reach for the database.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser) -> None:
        parser.add_argument("receipt", metavar="FILE", help="The receipt (JSON) to verify.")
        parser.add_argument(
            "--keys", metavar="FILE", help="Public keys: PEM or the published JSON key set."
        )

    def handle(self, *args, **options) -> None:
        try:
            receipt = json.loads(Path(options["receipt"]).read_text("utf-8"))
            keys = (
                load_public_keys(Path(options["keys"]).read_bytes())
                if options["keys"]
                else verification_keys()
            )
        except (OSError, ValueError) as error:
            raise CommandError(f"Can't read the receipt or keys: {error}") from error
        problems = verify_receipt(receipt, keys)
        if problems:
            raise CommandError("Receipt NOT valid: " + " ".join(problems))
        record = receipt["record"]
        checkpoint = receipt.get("checkpoint") or {}
        statement = checkpoint.get("statement", {})
        self.stdout.write(
            self.style.SUCCESS(
                f"Receipt valid: record {record.get('recordId')} (position "
                f"{record.get('sequence')} in the chain) is signed by key "
                f"{receipt['signature'].get('keyId')}"
                + (
                    f"; checkpoint of {statement.get('count')} records signed "
                    f"{statement.get('signedAt')}."
                    if statement
                    else "."
                )
            )
        )
