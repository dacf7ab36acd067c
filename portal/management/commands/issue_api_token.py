from django.core.management.base import BaseCommand, CommandError

from portal.models import DEFAULT_TOKEN_LIFETIME, TOKEN_LIFETIMES, ApiToken, User


class Command(BaseCommand):
    help = (
        "Create a REST API token for an agent. The token is printed alone on the last line "
        "and never again; only its hash is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The agent's email address.")
        parser.add_argument("--name", default="issued by manage.py", help="What the token is for.")
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_TOKEN_LIFETIME,
            help=f"How many days the token works (1 to {max(TOKEN_LIFETIMES)}; "
            f"default {DEFAULT_TOKEN_LIFETIME}).",
        )

    def handle(self, *args, email: str, name: str, days: int, **options):
        user = User.objects.filter(email__iexact=email.strip()).select_related("partner").first()
        if user is None:
            raise CommandError(f"No user with the email address {email}.")
        if user.partner is None or not user.is_active:
            raise CommandError(f"{user.email} is not an active agent of a partner.")
        name = name.strip()[:100]
        if not name:
            raise CommandError("The token needs a name.")
        if not 1 <= days <= max(TOKEN_LIFETIMES):
            raise CommandError(f"--days must be 1 to {max(TOKEN_LIFETIMES)}.")
        token, secret = ApiToken.issue(user=user, name=name, lifetime_days=days)
        self.stdout.write(
            f"Token “{token.name}” for {user.email} ({user.get_role_display()} of "
            f"{user.partner.name}), valid until {token.expires_at:%Y-%m-%d %H:%M} UTC. "
            "Shown once; store it safely."
        )
        self.stdout.write(secret)
