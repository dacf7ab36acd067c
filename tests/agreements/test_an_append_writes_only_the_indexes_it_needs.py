"""An appended record writes every index of its table, and at a million records most pages of
the random-key ones (hashes, ids) are outside PostgreSQL's buffers: none is kept that nothing
reads (agreements migration 0010)."""

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="PostgreSQL's indexes: SQLite has no LIKE index to leave out",
    ),
]


def _indexes() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'agreements_acceptance'"
        )
        return dict(cursor.fetchall())


def test_no_index_for_like_on_the_hashes_and_none_on_the_customer_alone():
    indexes = _indexes()
    assert not [name for name, definition in indexes.items() if "pattern_ops" in definition]
    assert not [
        name for name, definition in indexes.items() if definition.endswith("(customer_id)")
    ]
    # What stays: the chain's uniqueness, and the history index that begins with the customer.
    assert "UNIQUE" in indexes["acceptance_chain_hash_unique"]
    assert "UNIQUE" in indexes["acceptance_chain_linear"]
    assert (
        "(customer_id, partner_id, recorded_at DESC, id DESC)" in indexes["acceptance_history_idx"]
    )
