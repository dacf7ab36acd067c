"""The triggers that keep the ledgers (portfolio.counters), and the ledgers counted from the
rows already there. On PostgreSQL the recount locks the counted tables until the migration
commits, so no write is missed or counted twice between the two."""

from django.db import migrations


def install(apps, schema_editor):
    from portfolio import counters

    counters.install_triggers(schema_editor.connection)
    counters.rebuild(schema_editor.connection)


def uninstall(apps, schema_editor):
    from portfolio import counters

    counters.drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("portfolio", "0001_initial"),
        ("customers", "0010_list_indexes_cover_the_filters"),
        ("agreements", "0006_history_index_orders_ties_by_id"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
