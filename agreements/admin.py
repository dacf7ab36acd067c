from django.contrib import admin
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements import reacceptance
from agreements.models import (
    Acceptance,
    AcceptanceMethod,
    AgreementDocument,
    AgreementTemplate,
    AttestationRequest,
    EvidenceCheckpoint,
    ReacceptanceSweep,
)
from agreements.validators import portal_today
from portal.admin_mixins import BoundedChangeListMixin, ReadOnlyAdminMixin


class AgreementDocumentInline(admin.TabularInline):
    """New documents can be added to a template; existing ones are shown, never edited."""

    model = AgreementDocument
    extra = 1
    readonly_fields = ["sha256", "uploaded_at"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def publication_status(template: AgreementTemplate) -> str:
    """Published, or scheduled: a version counts only from its publication date."""
    if template.published_on > portal_today():
        return gettext("Scheduled: counts from %(date)s") % {
            "date": date_format(template.published_on, "DATE_FORMAT")
        }
    return gettext("Published")


REACCEPTANCE_FIELDS = ("requires_reacceptance", "reacceptance_deadline", "reacceptance_cutoff")


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(admin.ModelAdmin):
    """A new template is how a new version is published; its identity never changes afterwards.

    Only a template nothing depends on yet (no documents, no acceptances) may be deleted, so a
    wrong version rank can be fixed by deleting the empty template and adding it again.
    """

    list_display = [
        "title",
        "agreement_type",
        "version_rank",
        "published_on",
        "publication_status",
        "requires_reacceptance",
        "reacceptance_deadline",
        "template_id",
    ]
    list_filter = ["agreement_type", "requires_reacceptance"]
    search_fields = ["title", "=template_id"]
    inlines = [AgreementDocumentInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs.setdefault(
            "help_texts",
            {
                "published_on": _(
                    "The version counts from this date in the portal's time zone: it becomes the "
                    "latest, is offered and recorded from then on. A later date schedules it."
                )
            },
        )
        return super().get_form(request, obj, change, **kwargs)

    def save_related(self, request, form, formsets, change) -> None:
        # After the documents: they say which countries the version asks anything of.
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            obj = form.instance
            reacceptance_changed = any(name in form.changed_data for name in REACCEPTANCE_FIELDS)
            if obj.requires_reacceptance or (change and reacceptance_changed):
                # The stored statuses follow from the publication day (agreements.reacceptance).
                reacceptance.schedule(obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["template_id"]
        # A published version is what acceptances cite: only its documents may be added to.
        return [
            "template_id",
            "agreement_type",
            "version_rank",
            "title",
            "published_on",
            "publication_status",
        ]

    @admin.display(description=_("status"))
    def publication_status(self, obj: AgreementTemplate) -> str:
        return publication_status(obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is None:
            # No bulk delete: each template is checked on its own page.
            return False
        return (
            super().has_delete_permission(request, obj)
            and not obj.documents.exists()
            and not obj.acceptances.exists()
        )


@admin.register(AgreementDocument)
class AgreementDocumentAdmin(admin.ModelAdmin):
    """Operators upload new documents and read existing ones: a published document is final.

    Acceptance records hold the SHA-256 of the bytes a customer was shown (R9), so a document
    is never changed or deleted here; see AgreementDocument for the model's own guard.
    """

    list_display = [
        "template",
        "template_status",
        "country",
        "language",
        "content_type",
        "sha256",
        "uploaded_at",
    ]
    list_filter = ["country", "language", "template"]
    search_fields = ["sha256", "language"]
    list_select_related = ["template"]
    readonly_fields = ["sha256", "uploaded_at"]

    @admin.display(description=_("status"))
    def template_status(self, obj: AgreementDocument) -> str:
        return publication_status(obj.template)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Acceptance)
class AcceptanceAdmin(BoundedChangeListMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Evidence is append-only: operators may read and audit, never add, change or delete."""

    list_display = [
        "customer",
        "method",
        "contact_name",
        "date_agreed",
        "attribution",
        "channel",
        "recorded_at",
    ]
    list_filter = ["method", "channel", "partner__kind", ("recorded_at", admin.DateFieldListFilter)]
    search_fields = ["customer__company_name", "customer__domain", "email", "=public_id"]
    list_select_related = ["customer", "partner", "recorded_by"]
    # The chain position is unique and indexed: the newest page needs no sort of the table.
    ordering = ["-sequence"]
    actions = None

    @admin.display(description=_("accepted by"))
    def contact_name(self, obj: Acceptance) -> str:
        if obj.method == AcceptanceMethod.DIRECT_ACCEPTANCE:
            return gettext("%(name)s, the customer's admin") % {"name": obj.contact_name}
        return obj.contact_name

    @admin.display(description=_("recorded by or invited by"))
    def attribution(self, obj: Acceptance) -> str:
        """Who brought the acceptance on record: a partner's agent, or (a direct acceptance)
        the customer's admin answering a partner's invitation, never called its agent."""
        if obj.method == AcceptanceMethod.DIRECT_ACCEPTANCE:
            return gettext("In answer to an invitation from %(partner)s") % {
                "partner": obj.partner.name
            }
        return gettext("Recorded by %(agent)s (%(partner)s)") % {
            "agent": obj.recorded_by.get_full_name() or obj.recorded_by.email,
            "partner": obj.partner.name,
        }

    def get_readonly_fields(self, request, obj=None):
        return ["contact_name", "attribution", *(f.name for f in self.model._meta.fields)]


@admin.register(AttestationRequest)
class AttestationRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # A reseller's request and its resolution are a record of who asked whom (R3).
    list_display = [
        "customer",
        "reseller",
        "provider",
        "requested_by",
        "requested_at",
        "resolved_at",
    ]
    list_filter = ["provider"]
    search_fields = ["customer__company_name", "reseller__name", "provider__name"]
    list_select_related = ["customer", "reseller", "provider", "requested_by"]
    readonly_fields = ["requested_at"]


@admin.register(EvidenceCheckpoint)
class EvidenceCheckpointAdmin(BoundedChangeListMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Signed checkpoints of the chain head, one per record: read and export, never edit."""

    list_display = ["count", "head_hash", "signed_at", "key_id"]
    search_fields = ["=head_hash", "=count"]
    actions = None

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(ReacceptanceSweep)
class ReacceptanceSweepAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The status refreshes a version requiring re-acceptance set off (agreements.reacceptance):
    read to see that they ran; the work is the worker's."""

    list_display = ["template", "run_on", "status", "changed", "touched_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["template"]
    actions = None

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]
