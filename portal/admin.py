from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.admin_mixins import BoundedChangeListMixin, ReadOnlyAdminMixin
from portal.forms import CONTACT_EMAIL_INVALID, ContactPhoneField, WebsiteField
from portal.models import (
    ApiToken,
    AuditAction,
    AuditEntry,
    IdempotencyRecord,
    OutboxMessage,
    Partner,
    User,
)
from portal.profile import CONTACT_FIELDS, update_contact_details


class PartnerAdminForm(forms.ModelForm):
    """The contact fields with the portal's own fields: the phone's help and error cite the
    project's example, the website takes http(s) only, as on the Partner profile page."""

    contact_phone = ContactPhoneField(label=_("Contact phone"))
    website = WebsiteField(label=_("Website"))

    class Meta:
        model = Partner
        fields = [
            "name",
            "partner_id",
            "kind",
            "country",
            "provider",
            "created_at",
            *CONTACT_FIELDS,
        ]
        error_messages = {"contact_email": {"invalid": CONTACT_EMAIL_INVALID}}


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    form = PartnerAdminForm
    list_display = [
        "name",
        "partner_id",
        "kind",
        "country",
        "provider",
        "contact_email",
        "created_at",
    ]
    list_filter = ["kind", "country"]
    search_fields = ["name", "partner_id", "contact_email"]
    list_select_related = ["provider"]
    autocomplete_fields = ["provider"]
    fieldsets = [
        (None, {"fields": ["name", "partner_id", "kind", "country", "provider", "created_at"]}),
        (
            _("Contact details for its customers"),
            {
                "fields": list(CONTACT_FIELDS),
                "description": _(
                    "Shown on the partner's page in its customers' admin center; the partner's "
                    "admin agents keep them on Partner profile. Every change is in the "
                    "partner's audit log."
                ),
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # A contact change goes through the one writer, so the partner's audit log has an
        # operator's correction as it has an admin agent's.
        contact = {name: getattr(obj, name) for name in form.changed_data if name in CONTACT_FIELDS}
        others = [name for name in form.changed_data if name not in CONTACT_FIELDS]
        if others:
            obj.save(update_fields=others)
        if contact:
            update_contact_details(
                partner=Partner.objects.get(pk=obj.pk),
                by=request.user,
                values=contact,
                request=request,
            )


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Operators reset passwords through the link; the hash itself is never shown.
        self.fields.pop("password", None)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = [
        "email",
        "full_name",
        "partner",
        "role",
        "customer",
        "is_staff",
        "is_active",
    ]
    list_filter = ["role", "is_staff", "is_active", "partner__kind"]
    search_fields = ["email", "first_name", "last_name"]
    list_select_related = ["partner", "customer"]
    autocomplete_fields = ["partner", "customer"]
    show_full_result_count = False
    readonly_fields = ["last_login", "date_joined", "password_link"]
    fieldsets = [
        (None, {"fields": ["email", "password_link"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name"]}),
        (_("Agent or customer admin"), {"fields": ["partner", "role", "customer"]}),
        (
            _("Permissions"),
            {
                "fields": [
                    "is_active",
                    "must_change_password",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "usable_password", "password1", "password2"],
            },
        ),
    ]

    @admin.display(description=_("full name"), ordering="last_name")
    def full_name(self, obj: User) -> str:
        return obj.get_full_name()

    @admin.display(description=_("Password"))
    def password_link(self, obj: User) -> str:
        if obj.pk is None:
            return "—"
        url = reverse("admin:auth_user_password_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Set a new password"))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Operators may see and revoke tokens; the secret exists only as a hash, never shown."""

    list_display = [
        "name", "user", "hint", "created_at", "expires_at", "last_used_at", "revoked_at",
    ]  # fmt: skip
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__email", "hint"]
    list_select_related = ["user"]
    exclude = ["token_hash"]
    readonly_fields = [
        "user", "name", "hint", "created_at", "expires_at", "last_used_at", "revoked_by",
    ]  # fmt: skip

    def has_add_permission(self, request) -> bool:
        # A token is shown once to the agent who creates it; operators never mint one.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Revoked, never deleted: the record says who used the API and when.
        return False


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(admin.ModelAdmin):
    """Stored API answers for MS-RequestId replays: operators audit them, nothing more."""

    list_display = ["request_id", "user", "status_code", "created_at"]
    list_filter = ["status_code"]
    search_fields = ["=request_id", "user__email"]
    list_select_related = ["user"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(BoundedChangeListMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Outgoing email: operators watch it (failed and unknown messages need a person); only
    the outbox's task changes a message. A body that carries a secret is shown as kept."""

    list_display = [
        "created_at", "recipient", "subject", "partner", "status", "attempts", "next_attempt_at",
        "sent_at",
    ]  # fmt: skip
    list_filter = ["status"]
    search_fields = ["=recipient", "=dedupe_key"]
    list_select_related = ["partner"]
    exclude = ["body_text", "body_html", "kept_text"]
    readonly_fields = ["body"]

    @admin.display(description=_("body"))
    def body(self, obj: OutboxMessage) -> str:
        # Until it is sent a message may carry an invitation's token or a password (R7).
        return obj.kept_text or obj.body_text


# What a customer admin's entry records: its sign-ins at the admin center (no partner's log).
SIGN_IN_ACTIONS = [AuditAction.SIGNED_IN, AuditAction.SIGN_IN_FAILED, AuditAction.LOCKED_OUT]


class AuditSourceFilter(admin.SimpleListFilter):
    """Whose entries: a partner's (its agents), customer admins' sign-ins at the admin center,
    or password resets asked of no partner."""

    title = _("whose")
    parameter_name = "whose"

    def lookups(self, request, model_admin):
        return [
            ("partners", _("Partners' agents")),
            ("customer_admins", _("Customer admins (admin center sign-ins)")),
            ("resets", _("Password reset requests")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "partners":
            return queryset.filter(partner__isnull=False)
        if value == "customer_admins":
            # Agents' sign-ins always name their partner; operators' are not recorded.
            return queryset.filter(partner__isnull=True, action__in=SIGN_IN_ACTIONS)
        if value == "resets":
            return queryset.filter(
                partner__isnull=True, action=AuditAction.PASSWORD_RESET_REQUESTED
            )
        return queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(BoundedChangeListMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Partners' audit logs, customer admins' sign-ins and password reset requests of no
    partner: read only."""

    list_display = [
        "created_at",
        "partner",
        "action",
        "actor_email",
        "target_label",
        "details",
        "ip_address",
    ]
    list_filter = [AuditSourceFilter, "action"]
    search_fields = ["actor_email", "target_label", "details"]
    list_select_related = ["partner"]
    date_hierarchy = None
