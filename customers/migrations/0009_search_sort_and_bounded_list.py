"""The customers list finds any part of a customer and sorts along partner-scoped indexes.

- Relationship.search_text: the customer's folded name, domain, contact name and email
  (customers.search), filled here; on PostgreSQL a trigram GIN index serves the search's
  ``LIKE '%word%'`` (pg_trgm, a trusted extension since PostgreSQL 13: the database owner may
  create it). The old prefix indexes served only the old prefix search and go.
- Relationship.customer_sort_name and last_accepted_on: copies the list sorts on, filled here.
  The last acceptance is read from agreements' records (as its fact source computes it) by
  name through the migration state: a data dependency, not an import.
- One index per sort; "never accepted" sorts first, which only SQL can say on PostgreSQL.
"""

import unicodedata

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

BATCH = 2000

# customers.search.fold as it was when this migration was written (frozen here on purpose).
UNDECOMPOSED = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ŀ": "l", "æ": "ae", "œ": "oe"}
)


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.translate(UNDECOMPOSED).split())


def in_batches(queryset):
    batch = []
    for row in queryset.iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def fill_copies(apps, schema_editor):
    Relationship = apps.get_model("customers", "Relationship")
    Partner = apps.get_model("portal", "Partner")
    Acceptance = apps.get_model("agreements", "Acceptance")

    relationships = (
        Relationship.objects.order_by("pk")
        .select_related("customer")
        .only(
            "customer__company_name",
            "customer__domain",
            "customer__contact_first_name",
            "customer__contact_last_name",
            "customer__contact_email",
        )
    )
    for batch in in_batches(relationships):
        for relationship in batch:
            customer = relationship.customer
            relationship.customer_sort_name = fold(customer.company_name)
            relationship.search_text = "\n".join(
                fold(part)
                for part in (
                    customer.company_name,
                    customer.domain,
                    f"{customer.contact_first_name} {customer.contact_last_name}",
                    customer.contact_email,
                )
            )
        Relationship.objects.bulk_update(batch, ["customer_sort_name", "search_text"])

    # What agreements.services.acceptance_facts says: the date agreed of the newest record of
    # the partner itself or, for a reseller, of its provider.
    for partner in Partner.objects.only("pk", "provider_id"):
        counted = [partner.pk] + ([partner.provider_id] if partner.provider_id else [])
        newest = (
            Acceptance.objects.filter(customer_id=OuterRef("customer_id"), partner_id__in=counted)
            .order_by("-recorded_at", "-id")
            .values("date_agreed")[:1]
        )
        Relationship.objects.filter(partner_id=partner.pk).update(
            last_accepted_on=Subquery(newest)
        )
    if schema_editor.connection.vendor == "postgresql":
        # Run the deferred foreign-key checks these updates queued: PostgreSQL refuses to
        # index a table with trigger events pending, and the indexes come next.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


POSTGRESQL = {
    "forward": [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE INDEX rel_search_trgm_idx ON customers_relationship "
        "USING gin (search_text gin_trgm_ops)",
        "CREATE INDEX rel_partner_accepted_idx ON customers_relationship "
        "(partner_id, last_accepted_on ASC NULLS FIRST, id)",
        "DROP INDEX IF EXISTS customer_name_prefix_idx",
        "DROP INDEX IF EXISTS customer_domain_prefix_idx",
    ],
    # The extension stays: other database objects may have come to use it.
    "backward": [
        "DROP INDEX IF EXISTS rel_search_trgm_idx",
        "DROP INDEX IF EXISTS rel_partner_accepted_idx",
        "CREATE INDEX IF NOT EXISTS customer_name_prefix_idx "
        "ON customers_customer (UPPER(company_name::text) text_pattern_ops)",
        "CREATE INDEX IF NOT EXISTS customer_domain_prefix_idx "
        "ON customers_customer (domain varchar_pattern_ops)",
    ],
}
# SQLite sorts NULLs first in ascending order already; it has no trigram index (it scans).
OTHER = {
    "forward": [
        "CREATE INDEX rel_partner_accepted_idx ON customers_relationship "
        "(partner_id, last_accepted_on, id)"
    ],
    "backward": ["DROP INDEX IF EXISTS rel_partner_accepted_idx"],
}


def run(direction):
    def operation(apps, schema_editor):
        statements = POSTGRESQL if schema_editor.connection.vendor == "postgresql" else OTHER
        for statement in statements[direction]:
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0008_move_orders_to_their_app"),
        ("portal", "0003_api_token_expiry"),
        # Read, not imported: the acceptance records fill last_accepted_on.
        ("agreements", "0005_signed_evidence"),
    ]

    operations = [
        migrations.AddField(
            model_name="relationship",
            name="search_text",
            field=models.TextField(default="", editable=False, verbose_name="search text"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="relationship",
            name="customer_sort_name",
            field=models.TextField(
                default="", editable=False, verbose_name="customer's name for sorting"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="relationship",
            name="last_accepted_on",
            field=models.DateField(editable=False, null=True, verbose_name="last acceptance"),
        ),
        migrations.RunPython(fill_copies, migrations.RunPython.noop, elidable=False),
        migrations.RemoveIndex(model_name="relationship", name="rel_partner_status_idx"),
        migrations.RemoveIndex(model_name="relationship", name="rel_partner_country_idx"),
        migrations.AddIndex(
            model_name="relationship",
            index=models.Index(
                fields=["partner", "customer_sort_name", "id"], name="rel_partner_name_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="relationship",
            index=models.Index(
                fields=["partner", "agreement_status", "customer_sort_name", "id"],
                name="rel_partner_status_name_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="relationship",
            index=models.Index(
                fields=["partner", "agreement_status", "-invited_until", "customer_sort_name", "id"],
                name="rel_partner_status_sort_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="relationship",
            index=models.Index(
                fields=["partner", "customer_country", "customer_sort_name", "id"],
                name="rel_partner_country_name_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="relationship",
            index=models.Index(fields=["partner", "created_at", "id"], name="rel_partner_created_idx"),
        ),
        migrations.RunPython(run("forward"), run("backward"), elidable=False),
    ]
