from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Agreements and evidence")

    def ready(self) -> None:
        from agreements import reacceptance, selectors, services, views  # noqa: F401 (its recoverer)
        from customers import panels, status
        from customers import services as customer_services
        from portal import dashboard

        status.register_fact_source(services.acceptance_facts, on_record=True)
        customer_services.register_country_rule(selectors.unpublished_country_problem)
        panels.register(order=10)(views.agreement_panel)
        panels.list_actions.register(order=10)(views.export_link)
        dashboard.register(order=10)(views.attestation_queue_section)
