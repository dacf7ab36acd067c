from django.contrib import admin

from invitations.models import BulkInvitationJob, BulkInvitationResult, Invitation
from portal.admin_mixins import BoundedChangeListMixin, ReadOnlyAdminMixin


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


class BulkInvitationResultInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = BulkInvitationResult
    fields = ["relationship", "outcome", "reason", "message", "invitation"]
    raw_id_fields = ["relationship", "invitation"]
    extra = 0
    max_num = 0
    show_change_link = False


@admin.register(BulkInvitationJob)
class BulkInvitationJobAdmin(BoundedChangeListMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Bulk invitation jobs: operators audit them; only the job's task changes them."""

    list_display = [
        "created_at", "partner", "created_by", "action", "status", "total", "processed",
        "invited", "skipped", "failed",
    ]  # fmt: skip
    list_filter = ["status", "action"]
    list_select_related = ["partner", "created_by"]
    search_fields = ["=public_id"]
    inlines = [BulkInvitationResultInline]


@admin.register(BulkInvitationResult)
class BulkInvitationResultAdmin(BoundedChangeListMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["job", "relationship_id", "outcome", "reason"]
    list_filter = ["outcome"]
    list_select_related = ["job"]
    raw_id_fields = ["job", "relationship", "invitation"]
