from django.core.management.base import BaseCommand

from agreements import signing


class Command(BaseCommand):
    help = (
        "The Ed25519 key evidence is signed with, kept in EVIDENCE_KEY_DIR (never in the "
        "database). create: make one if there is none. rotate: retire the current key (its "
        "public key stays, so older records still verify) and sign with a new one from now on. "
        "show: print the key id and the public keys."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["create", "rotate", "show"])

    def handle(self, *args, **options) -> None:
        folder = signing.key_dir()
        if options["action"] == "create":
            if (folder / signing.PRIVATE_KEY_FILE).exists():
                self.stdout.write(f"An evidence signing key exists already in {folder}.")
            else:
                key = signing.generate_key(folder)
                self.stdout.write(f"Created evidence signing key {key.key_id} in {folder}.")
        elif options["action"] == "rotate":
            retired, key = signing.rotate_key(folder)
            signing.current_signing_key.cache_clear()
            signing.verification_keys.cache_clear()
            self.stdout.write(
                f"Retired key {retired}; new records are signed with {key.key_id}. Restart "
                "every web process and worker so that they load the new key."
            )
        else:
            for entry in signing.key_set()["keys"]:
                self.stdout.write(f"{entry['kid']} ({entry['status']})\n{entry['pem']}")
