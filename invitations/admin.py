from django.contrib import admin

from invitations.models import Invitation
from portal.admin_mixins import ReadOnlyAdminMixin


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: operators view and filter. The token hash is never shown (only it is stored).

    Invitations carry a secret shown once, so only the partner flows create them; every status
    change goes through invitations.services, which keeps evidence and agreement statuses in
    step, and an operator's edit here would bypass both.
    """

    list_display = ["customer", "partner", "kind", "status", "created_at", "expires_at", "sent_at"]
    list_filter = ["status", "kind", "partner__kind"]
    search_fields = ["customer__company_name", "customer__domain", "partner__name", "=public_id"]
    list_select_related = ["customer", "partner"]
    exclude = ["token_hash"]
    readonly_fields = [
        "public_id",
        "partner",
        "customer",
        "kind",
        "created_by",
        "created_at",
        "opened_at",
        "accepted_at",
        "accepted_by",
        "blocked_at",
        "revoked_at",
        "replaced_by",
        "email_to",
        "email_subject",
        "email_body",
        "sent_at",
    ]
    show_full_result_count = False
    date_hierarchy = "created_at"

    actions = None
