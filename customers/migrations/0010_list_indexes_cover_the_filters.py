"""On PostgreSQL the customers list's indexes include the columns it filters on (status,
invitation expiry, country), so a filter along any sort, and the bounded count, read the
index alone (index-only scans). SQLite has no INCLUDE: its indexes stay as they are, and the
migration state (Relationship.Meta.indexes) names the key columns only.
"""

from django.db import migrations

FILTERS = ("agreement_status", "invited_until", "customer_country")
# name → (key columns, included columns)
INDEXES = {
    "rel_partner_name_idx": ("partner_id, customer_sort_name, id", FILTERS),
    "rel_partner_status_name_idx": (
        "partner_id, agreement_status, customer_sort_name, id",
        ("invited_until", "customer_country"),
    ),
    "rel_partner_status_sort_idx": (
        "partner_id, agreement_status, invited_until DESC, customer_sort_name, id",
        ("customer_country",),
    ),
    "rel_partner_country_name_idx": (
        "partner_id, customer_country, customer_sort_name, id",
        ("agreement_status", "invited_until"),
    ),
    "rel_partner_created_idx": ("partner_id, created_at, id", FILTERS),
    "rel_partner_accepted_idx": ("partner_id, last_accepted_on ASC NULLS FIRST, id", FILTERS),
}


def rebuild(covering):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, (keys, included) in INDEXES.items():
            include = f" INCLUDE ({', '.join(included)})" if covering else ""
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
            schema_editor.execute(
                f"CREATE INDEX {name} ON customers_relationship ({keys}){include}"
            )

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0009_search_sort_and_bounded_list"),
    ]

    operations = [
        migrations.RunPython(rebuild(covering=True), rebuild(covering=False), elidable=False),
    ]
