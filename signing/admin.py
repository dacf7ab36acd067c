from django import forms
from django.contrib import admin

from portal.admin_mixins import BoundedChangeListMixin, ReadOnlyAdminMixin
from signing.forms import clean_origins
from signing.models import BulkSigningJob, BulkSigningResult, FramingSettings, SigningRequest


@admin.register(SigningRequest)
class SigningRequestAdmin(BoundedChangeListMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the link and code are secrets kept as hashes (never shown), and every change
    goes through signing.services, which keeps the evidence and the lock order."""

    list_display = [
        "customer",
        "partner",
        "first_name",
        "last_name",
        "email",
        "status",
        "created_at",
        "expires_at",
    ]
    list_filter = ["status", "partner__kind"]
    search_fields = ["customer__company_name", "customer__domain", "email", "=public_id"]
    list_select_related = ["customer", "partner"]
    exclude = ["token_hash", "code_hash", "proof_hash"]
    readonly_fields = [
        "public_id",
        "customer",
        "partner",
        "started_by",
        "first_name",
        "last_name",
        "email",
        "phone",
        "job_title",
        "country",
        "language",
        "document",
        "status",
        "created_at",
        "expires_at",
        "sent_at",
        "opened_at",
        "code_verified_at",
        "accepted_at",
        "declined_at",
        "revoked_at",
        "expired_at",
        "decline_reason",
        "acceptance",
        "replaced_by",
    ]


class FramingSettingsAdminForm(forms.ModelForm):
    class Meta:
        model = FramingSettings
        fields = ["partner", "allowed_origins"]

    def clean_allowed_origins(self) -> str:
        # The same check as the partner admin's own form.
        return clean_origins(self.cleaned_data["allowed_origins"])


@admin.register(FramingSettings)
class FramingSettingsAdmin(admin.ModelAdmin):
    """Where each partner may embed its signing page (its admin agents edit it too)."""

    list_display = ["partner", "allowed_origins", "updated_at"]
    search_fields = ["partner__name", "partner__partner_id"]
    autocomplete_fields = ["partner"]
    form = FramingSettingsAdminForm


@admin.register(BulkSigningJob)
class BulkSigningJobAdmin(BoundedChangeListMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Bulk signing jobs: operators audit them; only the job's task changes them."""

    list_display = [
        "created_at", "partner", "created_by", "signatory_source", "status", "total",
        "processed", "started", "skipped", "failed",
    ]  # fmt: skip
    list_filter = ["status", "signatory_source"]
    list_select_related = ["partner", "created_by"]
    search_fields = ["=public_id"]


@admin.register(BulkSigningResult)
class BulkSigningResultAdmin(BoundedChangeListMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["job", "relationship_id", "outcome", "reason"]
    list_filter = ["outcome"]
    list_select_related = ["job"]
    raw_id_fields = ["job", "relationship", "signing_request"]
