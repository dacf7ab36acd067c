from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulkConfig(AppConfig):
    name = "bulk"
    verbose_name = _("Bulk attestation")

    def ready(self) -> None:
        from bulk import services
        from portal.background import register_recoverer

        register_recoverer(services.recover_jobs)
