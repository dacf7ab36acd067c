from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        from alerts import receivers, webhooks  # noqa: F401 (webhooks: its recoverer)

        receivers.connect()
