from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Partners and users")

    def ready(self) -> None:
        # Connects the receiver that starts a session's idle and absolute clocks at sign-in.
        # Registers the outbox's recoverer with the worker (lost and half-sent emails).
        from portal import (
            outbox,  # noqa: F401
            sessions,  # noqa: F401
        )
