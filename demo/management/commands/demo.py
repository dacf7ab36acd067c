"""Load the demo world (demo/world.toml) through the portal's own services.

Idempotent: a customer already there is left as it is, so re-running leaves one copy of
everything; each run prints a working link for every open demo invitation.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from customers.models import Customer
from demo.world import DEMO_PASSWORD, Built, Spec, World, domain_of, load

__all__ = ["DEMO_PASSWORD", "Command"]


class Command(BaseCommand):
    help = "Load the demo partners, agents, agreement templates, offers and ~30 customers."

    def handle(self, *args: object, **options: object) -> None:
        spec = load()
        # The demo sends its invitations as the composer's Send does, and every demo contact is
        # at an .example address: the messages go to no mailbox, whatever EMAIL_URL says.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
            built = World(spec).build()
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
