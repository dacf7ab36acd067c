from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvitationsConfig(AppConfig):
    name = "invitations"
    verbose_name = _("Invitations")

    def ready(self) -> None:
        from customers import panels, status
        from invitations import bulk, bulk_views, services, views  # noqa: F401 (bulk: recoverer)
        from portal import dashboard, outbox

        status.register_fact_source(services.invitation_facts)
        panels.register(order=20)(views.invitations_panel)
        panels.list_bulk_actions.register(order=10)(bulk_views.list_selection)
        outbox.register_copies("invitation:", services.invitation_copies)
        dashboard.queue_rows.register(order=20)(views.declined_queue_rows)
