from django.core.management.base import BaseCommand, CommandError

from agreements.models import GENESIS_HASH, Acceptance, EvidenceChainHead


class Command(BaseCommand):
    help = (
        "Walk the acceptance evidence chain and recompute every hash. Exits non-zero and "
        "names the first broken record if any row was altered, removed or inserted."
    )

    def handle(self, *args, **options) -> None:
        expected_previous = GENESIS_HASH
        count = 0
        for record in Acceptance.objects.order_by("id").iterator(chunk_size=2000):
            if record.previous_hash != expected_previous:
                raise CommandError(
                    f"Evidence chain broken at acceptance {record.public_id} (id {record.pk}): "
                    "it does not follow the record before it (a record was removed or inserted)."
                )
            if record.compute_hash() != record.chain_hash:
                raise CommandError(
                    f"Evidence chain broken at acceptance {record.public_id} (id {record.pk}): "
                    "its contents no longer match its hash (the row was altered)."
                )
            expected_previous = record.chain_hash
            count += 1
        head = EvidenceChainHead.objects.filter(pk=1).first()
        if head is not None and head.last_hash != expected_previous:
            raise CommandError(
                "Evidence chain broken at its end: the newest record is not the one the chain "
                "head names (a record was removed)."
            )
        self.stdout.write(self.style.SUCCESS(f"Evidence chain intact: {count} records verified."))
