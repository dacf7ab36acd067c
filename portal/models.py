"""Partners, their agents and the customer admins: who may do what starts here."""

from __future__ import annotations

import datetime
import functools
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField

from portal.hashing import hash_token, new_token


class PartnerKind(models.TextChoices):
    DIRECT_BILL = "direct_bill", _("Direct-bill partner")
    INDIRECT_PROVIDER = "indirect_provider", _("Indirect provider")
    INDIRECT_RESELLER = "indirect_reseller", _("Indirect reseller")


class Partner(models.Model):
    name = models.CharField(_("name"), max_length=200)
    partner_id = models.CharField(
        _("partner ID"), max_length=20, unique=True, help_text=_("The partner's MPN ID.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    country = CountryField(_("country"))
    provider = models.ForeignKey(
        "self",
        verbose_name=_("indirect provider"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resellers",
        limit_choices_to={"kind": PartnerKind.INDIRECT_PROVIDER},
        help_text=_("Required for an indirect reseller, empty for every other kind."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Whom the partner's customers contact, shown on the admin center's partner page; kept by
    # the partner's admin agents (portal.profile), every change in the audit log.
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = PhoneNumberField(_("contact phone"), blank=True)
    # Only web addresses: the admin center links to it.
    website = models.URLField(
        _("website"), blank=True, validators=[URLValidator(schemes=["http", "https"])]
    )

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=PartnerKind.INDIRECT_RESELLER, provider__isnull=False)
                    | (~Q(kind=PartnerKind.INDIRECT_RESELLER) & Q(provider__isnull=True))
                ),
                name="partner_reseller_has_provider",
                violation_error_message=_(
                    "An indirect reseller needs an indirect provider; other kinds have none."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_contact_details(self) -> bool:
        """The partner named how its customers reach it (else they see its admin agents)."""
        return bool(self.contact_email or self.contact_phone or self.website)

    @property
    def is_reseller(self) -> bool:
        return self.kind == PartnerKind.INDIRECT_RESELLER

    @property
    def may_attest(self) -> bool:
        """Indirect resellers never attest; their provider does it for them."""
        return not self.is_reseller

    def attesting_partners_ids(self) -> list[int]:
        """Partners whose acceptance records count for this partner's customers."""
        return [self.pk, self.provider_id] if self.provider_id else [self.pk]


class Role(models.TextChoices):
    ADMIN_AGENT = "admin_agent", _("Admin agent")
    SALES_AGENT = "sales_agent", _("Sales agent")
    HELPDESK_AGENT = "helpdesk_agent", _("Helpdesk agent")
    BILLING_ADMIN = "billing_admin", _("Billing admin")


# The roles that attest, invite and order (R2); the predicates live in portal.permissions.
WRITE_ROLES = frozenset({Role.ADMIN_AGENT, Role.SALES_AGENT})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """Signs in by email: an agent of one partner, a customer admin, or an operator."""

    email = models.EmailField(_("email address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agents",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="admins",
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_(
            "Set for credentials handed over by a partner: "
            "the first sign-in asks for a new password."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("operator"), default=False, help_text=_("May sign in to the operators' admin site.")
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Kept by alerts as notifications arrive and are read: the header shows it with the user
    # row it reads anyway, at no extra query.
    unread_notifications = models.PositiveIntegerField(
        _("unread notifications"), default=0, editable=False
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            # An agent has a partner and a role; a customer admin has a customer;
            # never both. Operators (staff) have neither.
            models.CheckConstraint(
                condition=(Q(partner__isnull=False, customer__isnull=True) & ~Q(role=""))
                | (Q(partner__isnull=True, role="")),
                name="user_agent_or_customer_admin",
                violation_error_message=_(
                    "A user is either an agent of a partner with a role or a customer admin, "
                    "never both."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    def get_short_name(self) -> str:
        return self.first_name or self.email


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        """Neither revoked nor expired: what the API accepts."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


# The lifetimes an agent chooses from when creating a token, in days; the default is 90.
TOKEN_LIFETIMES = (30, 90, 180, 365)
DEFAULT_TOKEN_LIFETIME = 90


class ApiToken(models.Model):
    """A bearer token of one agent for the REST API; only its SHA-256 is kept."""

    PREFIX = "mca_"

    user = models.ForeignKey(
        User, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    hint = models.CharField(_("starts with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(
        cls, *, user: User, name: str, lifetime_days: int = DEFAULT_TOKEN_LIFETIME
    ) -> tuple[ApiToken, str]:
        """Create a token valid for ``lifetime_days`` and return it with its secret, which is
        never stored and shown once."""
        if not 1 <= lifetime_days <= max(TOKEN_LIFETIMES):
            raise ValueError(
                f"A token lives 1 to {max(TOKEN_LIFETIMES)} days, not {lifetime_days}."
            )
        secret = cls.PREFIX + new_token()
        now = timezone.now()
        token = cls.objects.create(
            user=user,
            name=name,
            token_hash=hash_token(secret),
            hint=secret[:8],
            created_at=now,
            expires_at=now + datetime.timedelta(days=lifetime_days),
        )
        return token, secret

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    def revoke(self, by: User) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.revoked_by = by
            self.save(update_fields=["revoked_at", "revoked_by"])


class IdempotencyRecord(models.Model):
    """The first answer to a POST carrying an MS-RequestId, replayed on every retry."""

    user = models.ForeignKey(
        User, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="+"
    )
    request_id = models.CharField(_("request ID"), max_length=100)
    request_hash = models.CharField(_("request hash"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status code"))
    response_body = models.JSONField(_("response body"), null=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "request_id"], name="idempotency_unique_user_request"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.request_id}"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # A worker died between claiming the message and recording the outcome: it may or may not
    # have left, so it is never sent again (an operator decides).
    UNKNOWN = "unknown", _("Unknown")


class OutboxMessage(models.Model):
    """An email the portal sends, written in the same transaction as the change that calls
    for it and sent by a background task (portal.outbox)."""

    dedupe_key = models.CharField(_("deduplication key"), max_length=200, unique=True)
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=998)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    # What stays of the body once the message is out: secrets (an invitation's token, a
    # temporary password) are needed to send and never kept after (R7). Blank: keep the body.
    kept_text = models.TextField(_("body as kept"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The recoverer's and the admin's question: what is in this state, since when.
            models.Index(fields=["status", "next_attempt_at"], name="outbox_status_due"),
            # The rate limit's: what this partner sent in the last minute.
            models.Index(fields=["partner", "claimed_at"], name="outbox_partner_claimed"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"


class AuditAction(models.TextChoices):
    """What a partner's audit log records. An app above portal that audits something new adds
    its action here (the column is text: a new choice needs no migration of the data)."""

    SIGNED_IN = "signed_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    LOCKED_OUT = "locked_out", _("Locked out after failed sign-ins")
    AGENT_INVITED = "agent_invited", _("Agent invited")
    INVITATION_RESENT = "invitation_resent", _("Agent invitation resent")
    PASSWORD_SET = "password_set", _("Password set from an invitation")
    ROLE_CHANGED = "role_changed", _("Role changed")
    AGENT_DEACTIVATED = "agent_deactivated", _("Agent deactivated")
    AGENT_REACTIVATED = "agent_reactivated", _("Agent reactivated")
    AGENT_UNLOCKED = "agent_unlocked", _("Agent unlocked")
    PASSWORD_RESET_SENT = "password_reset_sent", _("Password reset sent by an admin agent")
    PASSWORD_RESET_REQUESTED = "password_reset_requested", _("Password reset requested")
    PASSWORD_RESET_DONE = "password_reset_done", _("Password reset")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    PROFILE_CHANGED = "profile_changed", _("Partner contact details changed")


class AuditEntry(models.Model):
    """One thing done to or by a partner's agents: who, what, to whom, when, from where.

    Written only by ``portal.audit.record_audit``; never changed afterwards. The actor's and
    the target's emails are kept as text too, so an entry still reads after a user is gone.
    An entry without a partner (a password reset request as asked, before any account is looked
    up; a customer admin's reset, sign-ins, failed sign-ins and lockouts at the admin center,
    the customer named in ``details``) is for operators and for the reset's rate limits only.
    """

    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices)
    actor = models.ForeignKey(
        User,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_email = models.CharField(_("by (email)"), max_length=254, blank=True)
    target = models.ForeignKey(
        User,
        verbose_name=_("target"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    target_label = models.CharField(_("target (as recorded)"), max_length=254, blank=True)
    details = models.CharField(_("details"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The audit log page: a partner's newest first, by action, by agent.
            models.Index(fields=["partner", "-created_at", "-id"], name="audit_partner_recent"),
            models.Index(fields=["partner", "action", "-created_at"], name="audit_partner_action"),
            models.Index(fields=["partner", "actor", "-created_at"], name="audit_partner_actor"),
            models.Index(fields=["partner", "target", "-created_at"], name="audit_partner_target"),
            # The password reset's rate limits: how often this address or this email asked.
            models.Index(fields=["action", "ip_address", "created_at"], name="audit_action_ip"),
            models.Index(
                fields=["action", "target_label", "created_at"], name="audit_action_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"

    @property
    def target_display(self) -> str:
        """The target as the reader reads it: a contact detail's change (portal.profile)
        records the field's name, shown as its label in the reader's language."""
        if self.action == AuditAction.PROFILE_CHANGED:
            return profile_field_label(self.target_label)
        return self.target_label


# The partner's contact fields whose changes the audit log records (portal.profile).
PROFILE_AUDITED_FIELDS = ("contact_email", "contact_phone", "website")


def _contact_label(name: str) -> str:
    """The field's label, capitalised, in the active language."""
    field = Partner._meta.get_field(name)
    assert isinstance(field, models.Field)
    return str(capfirst(field.verbose_name))


@functools.cache
def _profile_field_names() -> dict[str, str]:
    """Recorded target → field name: the name itself, and the label in every language (how
    entries were recorded before the name was, in the language of whoever saved)."""
    names = {name: name for name in PROFILE_AUDITED_FIELDS}
    for code, _language in settings.LANGUAGES:
        with override(code):
            for name in PROFILE_AUDITED_FIELDS:
                names.setdefault(_contact_label(name), name)
    return names


def profile_field_label(recorded: str) -> str:
    """A contact field's label in the active language, from what its audit entry recorded;
    anything else as recorded."""
    name = _profile_field_names().get(recorded)
    if name is None:
        return recorded
    return _contact_label(name)
