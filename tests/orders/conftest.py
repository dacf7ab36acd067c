"""Offers in the catalog, a customer of each kind, and helpers shared by the order tests."""

from __future__ import annotations

import pytest

from orders.models import ProductType
from tests import factories as f


@pytest.fixture
def licence(db):
    return f.OfferFactory(
        offer_id="MS-365-E3", name="Microsoft 365 E3", unit_price="36.00", countries=["CZ", "US"]
    )


@pytest.fixture
def reserved_instance(db):
    return f.OfferFactory(
        offer_id="AZ-RI-D4",
        name="Azure Reserved VM Instance D4s v5",
        product_type=ProductType.RESERVED_INSTANCE,
        unit_price="1450.00",
        countries=["CZ"],
    )


@pytest.fixture
def perpetual(db):
    return f.OfferFactory(
        offer_id="WIN-SRV",
        name="Windows Server 2025 Standard",
        product_type=ProductType.PERPETUAL_SOFTWARE,
        unit_price="1069.00",
        countries=["CZ", "US"],
    )


@pytest.fixture
def us_only(db):
    return f.OfferFactory(offer_id="US-ONLY", name="US-only offer", countries=["US"])
