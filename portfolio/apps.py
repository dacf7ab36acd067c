from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = _("Portfolio")

    def ready(self) -> None:
        from portal import dashboard
        from portfolio import counters, views

        dashboard.register(order=5)(views.overview_section)
        dashboard.register(order=20)(views.queue_section)
        post_migrate.connect(counters.ensure_triggers, sender=self)
