from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Partners and users")

    def ready(self) -> None:
        # Connects the receiver that starts a session's idle and absolute clocks at sign-in.
        # Registers the outbox's recoverer with the worker (lost and half-sent emails).
        # Connects the audit log's sign-in, failed sign-in and lockout receivers.
        # Registers the password reset requests' recoverer (a request whose task was lost).
        from portal import (
            audit,  # noqa: F401
            outbox,  # noqa: F401
            passwords,  # noqa: F401
            sessions,  # noqa: F401
        )
