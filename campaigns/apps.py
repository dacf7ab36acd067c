from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Re-acceptance campaigns")

    def ready(self) -> None:
        from campaigns import views
        from portal import dashboard

        dashboard.register(order=7)(views.campaigns_section)
