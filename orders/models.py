"""The offer catalog and orders. The tables keep the names they had in customers/."""

from __future__ import annotations

import uuid

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from customers.models import Customer
from portal.models import Partner


class ProductType(models.TextChoices):
    LICENSE = "license", _("License-based offer")
    SOFTWARE_SUBSCRIPTION = "software_subscription", _("Software subscription")
    PERPETUAL_SOFTWARE = "perpetual_software", _("Perpetual software")
    RESERVED_INSTANCE = "reserved_instance", _("Reserved instance")
    AZURE_PLAN = "azure_plan", _("Azure plan")


class OfferQuerySet(models.QuerySet):
    def sold_in(self, country_code: str):
        """Offers available in this country (active or not)."""
        # Codes are stored comma-separated; two letters never straddle a comma.
        return self.filter(countries__contains=country_code)


class Offer(models.Model):
    offer_id = models.CharField(_("offer ID"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    product_type = models.CharField(_("product type"), max_length=24, choices=ProductType.choices)
    unit_price = models.DecimalField(
        _("unit price"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    countries = CountryField(_("available in"), multiple=True, blank=True)
    is_active = models.BooleanField(_("available"), default=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        db_table = "customers_offer"
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["product_type", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name on pages: an offer named after its product type alone (Partner Center's
        "Azure plan") takes that type's name in the page's language ("Plán Azure")."""
        label = ProductType(self.product_type).label
        with translation.override("en"):
            english = str(label)
        return str(label) if self.name == english else self.name

    def can_be_ordered_in(self, country_code: str) -> bool:
        return self.is_active and country_code in {country.code for country in self.countries}


class OrderChannel(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    RENEWAL = "renewal", _("Auto-renewal")


class Order(models.Model):
    order_id = models.UUIDField(_("order ID"), default=uuid.uuid4, unique=True, editable=False)
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="orders"
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="orders"
    )
    placed_by = models.ForeignKey(
        "portal.User",
        verbose_name=_("placed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    placed_at = models.DateTimeField(_("placed"), default=timezone.now)
    is_auto_renewal = models.BooleanField(_("auto-renewal"), default=False)
    renews = models.ForeignKey(
        "self",
        verbose_name=_("renews"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewals",
    )
    auto_renew = models.BooleanField(
        _("renews automatically"),
        default=True,
        help_text=_("Renewed by renew_subscriptions when due."),
    )
    renewal_due = models.DateField(_("renewal due"), null=True, blank=True)
    channel = models.CharField(
        _("channel"),
        max_length=20,
        choices=OrderChannel.choices,
        default=OrderChannel.WEB,
    )

    class Meta:
        db_table = "customers_order"
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "is_auto_renewal"], name="order_customer_renewal_idx"),
            models.Index(fields=["partner", "-placed_at"], name="order_partner_placed_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_auto_renewal=False) | Q(renews__isnull=False),
                name="order_renewal_names_original",
            ),
        ]

    def __str__(self) -> str:
        return str(self.order_id)

    @property
    def short_id(self) -> str:
        return str(self.order_id)[:8].upper()


class OrderLine(models.Model):
    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="lines"
    )
    offer = models.ForeignKey(
        Offer, verbose_name=_("offer"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(_("unit price"), max_digits=10, decimal_places=2)
    # Price and currency are copied from the offer when ordered: later catalog edits
    # never rewrite what the customer bought.
    currency = models.CharField(_("currency"), max_length=3, default="USD")

    class Meta:
        db_table = "customers_orderline"
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="orderline_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.offer}"

    @property
    def amount(self):
        return self.unit_price * self.quantity


class GateRefusal(models.Model):
    """The order gate (R5) refused a new order: what the portfolio's "needs your action" queue
    lists. Written outside the refused order's transaction, which rolls back."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="+"
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    agent = models.ForeignKey(
        "portal.User",
        verbose_name=_("agent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("refused"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=20, choices=OrderChannel.choices)

    class Meta:
        verbose_name = _("order refused by the gate")
        verbose_name_plural = _("orders refused by the gate")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["partner", "-at"], name="gate_refusal_partner_at_idx")]

    def __str__(self) -> str:
        return f"{self.partner} → {self.customer} ({self.at:%Y-%m-%d})"
