"""Load the demo world (demo/world.toml) through the portal's own services.

Idempotent: a customer already there is left as it is, so re-running leaves one copy of
everything; each run prints a working link for every open demo invitation.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from customers.models import Customer
from demo.world import DEMO_PASSWORD, Built, Spec, World, domain_of, load

__all__ = ["DEMO_PASSWORD", "Command"]

THROWAWAY_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


class Command(BaseCommand):
    help = "Load the demo partners, agents, agreement templates, offers and ~30 customers."

    def handle(self, *args: object, **options: object) -> None:
        spec = load()
        # Made before the fast hasher below is in force: the portal's own hasher (PBKDF2).
        world = World(spec, password_hash=make_password(DEMO_PASSWORD))
        # The demo sends its invitations as the composer's Send does, and every demo contact is
        # at an .example address: the messages go to no mailbox, whatever EMAIL_URL says.
        # create_customer gives each new admin a random temporary password, which the demo
        # replaces at once with DEMO_PASSWORD (as the first sign-in would). Hashing those
        # throwaway passwords at full strength would add ~15 s to `make run`, so they get a
        # fast hash; every password the demo leaves behind is PBKDF2 (tests/portal/test_demo.py).
        with (
            override_settings(
                EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
                PASSWORD_HASHERS=[THROWAWAY_HASHER, *settings.PASSWORD_HASHERS],
            ),
            transaction.atomic(),
        ):
            built = world.build()
        self.report(spec, built)

    def report(self, spec: Spec, built: Built) -> None:
        out = self.stdout
        out.write(
            self.style.SUCCESS(
                f"Demo data ready ({len(built.created)} customers added, "
                f"{Customer.objects.count()} in all)."
            )
        )
        out.write(f"Every demo account's password: {DEMO_PASSWORD}")
        out.write("Partner agents sign in at /login/:")
        for agent in spec["agents"]:
            out.write(f"  {agent['email']} ({agent['about']})")
        out.write("Customer admins sign in at /admin-center/login/, e.g.:")
        for customer in spec["customers"]:
            if "sign_in" in customer:
                out.write(f"  admin@{domain_of(customer)} ({customer['sign_in']})")
        out.write(f"Operators sign in at /admin/: {spec['operator']['email']}")
        if built.links:
            out.write("Open invitations (new links on every run; sign in as admin@<domain>):")
            for invitation, link in built.links:
                out.write(f"  {invitation.customer.domain} from {invitation.partner.name}: {link}")
