from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    name = "signing"
    verbose_name = _("Signing links")

    def ready(self) -> None:
        from agreements import services as agreement_services
        from customers import panels
        from orders import prompts
        from portal import dashboard, profile
        from signing import bulk, bulk_views, selectors, views  # noqa: F401 (bulk: recoverer)

        panels.register(order=15)(views.signing_panel)
        panels.list_bulk_actions.register(order=20)(bulk_views.list_selection)
        prompts.register(order=10)(views.order_prompt)
        dashboard.queue_rows.register(order=10)(views.queue_rows)
        profile.settings_sections.register(order=10)(views.embedding_section)
        agreement_services.register_attestation_lookup(selectors.acceptance_for_attestation)
