"""Customer tenants and their partner relationships."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField

from customers.addresses import one_line
from customers.search import fold, searchable
from portal.models import Partner

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

domain_validator = RegexValidator(
    r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.onmicrosoft\.com$",
    _("Enter a domain of the form name.onmicrosoft.com (lower-case letters, digits, hyphens)."),
)


class CustomerLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    CZECH = "cs", _("Czech")
    GERMAN = "de", _("German")


class Customer(models.Model):
    tenant_id = models.UUIDField(_("tenant ID"), default=uuid.uuid4, unique=True, editable=False)
    company_name = models.CharField(_("company name"), max_length=200, db_index=True)
    domain = models.CharField(
        _("domain"), max_length=80, unique=True, validators=[domain_validator]
    )
    country = CountryField(_("country"), db_index=True)
    address_line1 = models.CharField(_("address"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    postal_code = models.CharField(_("postal code"), max_length=20)
    # A US customer's state (USPS code, customers.regions); blank elsewhere.
    state = models.CharField(_("state or region"), max_length=2, blank=True, default="")
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=CustomerLanguage.choices,
        default=CustomerLanguage.ENGLISH,
    )
    contact_first_name = models.CharField(_("first name"), max_length=100)
    contact_last_name = models.CharField(_("last name"), max_length=100)
    contact_email = models.EmailField(_("email address"))
    contact_phone = PhoneNumberField(_("phone number"), blank=True)
    created_by = models.ForeignKey(
        "portal.User",
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["company_name", "id"]

    def __str__(self) -> str:
        return self.company_name

    def save(self, *args, **kwargs) -> None:
        adding = self._state.adding
        super().save(*args, **kwargs)
        if not adding:
            # Keep the copies the customers list filters, sorts and searches on (Relationship).
            copies = self.list_copies()
            self.relationships.exclude(**copies).update(**copies)

    def list_copies(self) -> dict[str, str]:
        """What each of the customer's relationships keeps of it for the customers list."""
        return {
            "customer_country": self.country,
            "customer_sort_name": fold(self.company_name),
            "search_text": self.search_text,
        }

    @property
    def search_text(self) -> str:
        """What the customers search looks in: name, domain, contact, folded."""
        return searchable(
            [
                self.company_name,
                self.domain,
                f"{self.contact_first_name} {self.contact_last_name}",
                self.contact_email,
            ]
        )

    @property
    def contact_name(self) -> str:
        return f"{self.contact_first_name} {self.contact_last_name}".strip()

    @property
    def postal_address(self) -> str:
        """The address on one line, in the country's order (customers.addresses)."""
        return one_line(self)


class CustomerChange(models.Model):
    """One field of a customer's details changed by an agent (who, when, old → new): the
    history on Account info. Written only by customers.services.update_customer."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="changes"
    )
    field = models.CharField(_("field"), max_length=40)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)
    changed_by = models.ForeignKey(
        "portal.User",
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # The partner the agent acted for: the history names only the viewer's own agents.
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("customer change")
        verbose_name_plural = _("customer changes")
        ordering = ["-changed_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "-changed_at", "-id"], name="customer_change_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.field}"


class RelationshipStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACTIVE = "active", _("Active")


class RelationshipOrigin(models.TextChoices):
    CREATED_BY_PARTNER = "created_by_partner", _("Created by the partner")
    ACCEPTED_INVITATION = "accepted_invitation", _("Accepted invitation")


class AgreementStatus(models.TextChoices):
    """The customer's agreement state as one partner sees it (kept by agreements.services)."""

    ATTESTED = "attested", _("Attested by partner")
    ACCEPTED = "accepted", _("Accepted directly")
    INVITED = "invited", _("Invited")
    BLOCKED = "blocked", _("Blocked — partner must attest")
    # The acceptance on record is of a version older than one that requires re-acceptance
    # (or dated before its cut-off): agreements.reacceptance.
    DUE = "due", _("Re-acceptance due")
    NONE = "none", _("Not on record")


# Not a stored status: an invited relationship whose invitation has lapsed (shown as nothing
# on record, and found among those too). The customers list filters on it as a status.
INVITATION_LAPSED = "lapsed"


class RelationshipQuerySet(models.QuerySet):
    def with_agreement_status(self, status: str, now=None):
        """Filter by the agreement status as it stands now: an invitation that has lapsed
        leaves nothing on record, without any job having to rewrite the row."""
        now = now or timezone.now()
        if status == INVITATION_LAPSED:
            # Of those not on record: an invitation was sent and has lapsed.
            lapsed = Q(invited_until__lte=now) | Q(invited_until__isnull=True)
            return self.filter(Q(agreement_status=AgreementStatus.INVITED) & lapsed)
        if status == AgreementStatus.INVITED:
            return self.filter(agreement_status=status, invited_until__gt=now)
        if status == AgreementStatus.NONE:
            lapsed = Q(invited_until__lte=now) | Q(invited_until__isnull=True)
            return self.filter(
                Q(agreement_status=status) | (Q(agreement_status=AgreementStatus.INVITED) & lapsed)
            )
        return self.filter(agreement_status=status)


class Relationship(models.Model):
    """A reseller relationship between a partner and a customer."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="relationships"
    )
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="relationships",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RelationshipStatus.choices,
        default=RelationshipStatus.ACTIVE,
    )
    origin = models.CharField(
        _("origin"),
        max_length=20,
        choices=RelationshipOrigin.choices,
        default=RelationshipOrigin.CREATED_BY_PARTNER,
    )
    # Denormalised so the customers list filters by status with an index at any size.
    agreement_status = models.CharField(
        _("agreement status"),
        max_length=10,
        choices=AgreementStatus.choices,
        default=AgreementStatus.NONE,
    )
    # While invited: until when the invitation is open (kept with agreement_status).
    invited_until = models.DateTimeField(_("invitation open until"), null=True, blank=True)
    # The customer's country, copied here (by save() of both models) so that filtering a
    # partner's list by country and status is one index range, not a join, at any size.
    customer_country = CountryField(_("customer's country"), editable=False)
    # The customer's company name folded (customers.search.fold), copied the same way, so
    # the list sorts a partner's customers by name along an index, case and accents aside.
    customer_sort_name = models.TextField(_("customer's name for sorting"), editable=False)
    # Customer.search_text, copied the same way: a search reads one table, through a trigram
    # index on PostgreSQL (migration 0009), and joins the customers of one page only.
    search_text = models.TextField(_("search text"), editable=False)
    # The date agreed of the acceptance on record for this partner (the newest record that
    # counts), kept with agreement_status by customers.status.refresh_agreement_status.
    last_accepted_on = models.DateField(_("last acceptance"), null=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    activated_at = models.DateTimeField(_("active since"), null=True, blank=True)

    objects = RelationshipQuerySet.as_manager()

    # Not a column: customers.selectors.get_relationship_for says whether the agent's own
    # partner holds this relationship (and so may act on it in its own name).
    is_own: bool = True

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "customer"],
                name="relationship_unique_partner_customer",
                violation_error_message=_(
                    "This partner already has a relationship with this customer."
                ),
            ),
        ]
        # The customers list: each sort (customers.filters.SORTS), alone or after a filter on
        # the column it starts with, is one range of one of these, read in order. On
        # PostgreSQL they also include the filter columns (status, invited until, country), so a
        # filter along any sort, and the bounded count, read the index alone; that and the
        # last acceptance's index ("never" first) are SQL that Meta can't say for SQLite too:
        # migrations 0009 and 0010.
        indexes = [
            models.Index(
                fields=["partner", "customer_sort_name", "id"], name="rel_partner_name_idx"
            ),
            models.Index(
                fields=["partner", "agreement_status", "customer_sort_name", "id"],
                name="rel_partner_status_name_idx",
            ),
            models.Index(
                fields=[
                    "partner",
                    "agreement_status",
                    "-invited_until",
                    "customer_sort_name",
                    "id",
                ],
                name="rel_partner_status_sort_idx",
            ),
            models.Index(
                fields=["partner", "customer_country", "customer_sort_name", "id"],
                name="rel_partner_country_name_idx",
            ),
            models.Index(fields=["partner", "created_at", "id"], name="rel_partner_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.partner} ↔ {self.customer}"

    def save(self, *args, **kwargs) -> None:
        # From the customer in hand (it may have just been assigned), else fetched once.
        if Relationship.customer.is_cached(self) or not self.search_text:
            for name, value in self.customer.list_copies().items():
                setattr(self, name, value)
        super().save(*args, **kwargs)

    @property
    def effective_agreement_status(self) -> str:
        """The stored status, with an invitation past its expiry shown as nothing on record."""
        if self.agreement_status == AgreementStatus.INVITED and (
            self.invited_until is None or self.invited_until <= timezone.now()
        ):
            return AgreementStatus.NONE
        return self.agreement_status

    def get_effective_agreement_status_display(self) -> StrOrPromise:
        return AgreementStatus(self.effective_agreement_status).label
