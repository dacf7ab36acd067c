"""The suite hashes with MD5 for speed (tests/settings.py); this runs the production hasher."""

import pytest
from django.contrib.auth.hashers import check_password, get_hasher
from django.test import override_settings

from customers.models import Customer
from customers.services import create_customer

PRODUCTION_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_a_new_customer_admins_password_is_stored_with_pbkdf2(alice, template_cz):
    assert get_hasher().algorithm == "pbkdf2_sha256"
    _customer, admin, password = create_customer(
        partner=alice.partner,
        created_by=alice,
        customer=Customer(
            company_name="Hasher s.r.o.",
            domain="hasher.onmicrosoft.com",
            country="CZ",
            address_line1="Václavské náměstí 1",
            city="Praha",
            postal_code="110 00",
            contact_first_name="Jana",
            contact_last_name="Nováková",
            contact_email="jana@hasher.example",
        ),
    )
    assert admin.password.startswith("pbkdf2_sha256$")
    assert password not in admin.password
    assert check_password(password, admin.password)
    assert not check_password(password + "x", admin.password)


def test_the_production_settings_hash_with_pbkdf2_first():
    from portal import settings as production

    assert not hasattr(production, "PASSWORD_HASHERS") or production.PASSWORD_HASHERS[0].endswith(
        "PBKDF2PasswordHasher"
    )
