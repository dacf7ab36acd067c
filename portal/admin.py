from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.admin_mixins import BoundedChangeListMixin, ReadOnlyAdminMixin
from portal.models import (
    ApiToken,
    AuditAction,
    AuditEntry,
    IdempotencyRecord,
    OutboxMessage,
    Partner,
    User,
)


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "partner_id", "kind", "country", "provider", "created_at"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "partner_id"]
    list_select_related = ["provider"]
    autocomplete_fields = ["provider"]


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
