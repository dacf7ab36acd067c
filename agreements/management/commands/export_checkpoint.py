import json

from django.core.management.base import BaseCommand, CommandError

from agreements.receipts import latest_checkpoint


class Command(BaseCommand):
    help = (
        "Print the newest signed checkpoint of the evidence chain as JSON. Keep the output "
        "somewhere the database's administrators can't write: verify_evidence --checkpoint "
        "FILE then catches a later rewrite or the removal of the newest records."
    )

    def handle(self, *args, **options) -> None:
        checkpoint = latest_checkpoint()
        if checkpoint is None:
            raise CommandError("No evidence has been recorded yet: there is no checkpoint.")
        self.stdout.write(json.dumps(checkpoint.as_json(), ensure_ascii=False, indent=2))
