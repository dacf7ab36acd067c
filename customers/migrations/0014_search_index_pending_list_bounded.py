"""The trigram index's pending list is kept short (PostgreSQL).

A GIN index takes new entries into a pending list first (fastupdate) and moves them into the
index in batches; every search reads the whole list meanwhile. A relationship's row gets new
index entries whenever its status or last acceptance changes (those columns are indexed, so
the update is never HOT), and by default the list grows to 4 MB (gin_pending_list_limit)
before it is moved: thousands of attestations, each then read by every customer search until
VACUUM. Measured on the benchmark's million customers, 151 pending pages (1,021 updates) made
"jana.dvorakova" 14.7 → 17 ms. Bounded at 256 kB, a search reads at most ~30 pages, and the
update that fills the list moves its ~200 entries in one batch.

SQLite has no such index: nothing changes there.
"""

from django.db import migrations

INDEX = "rel_search_trgm_idx"
PENDING_LIST_KB = 256


def bound(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER INDEX {INDEX} SET (gin_pending_list_limit = {PENDING_LIST_KB})"
        )


def unbound(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER INDEX {INDEX} RESET (gin_pending_list_limit)")


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0013_search_walks_the_name_index"),
    ]

    operations = [migrations.RunPython(bound, unbound, elidable=False)]
