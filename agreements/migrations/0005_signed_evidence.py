"""Signed evidence: chain positions, signed statements and checkpoints, and (on PostgreSQL)
triggers that refuse UPDATE, DELETE and TRUNCATE on the evidence tables.

Records written before this migration keep their legacy hashes; they are counted once, in the
chain head's unsigned_prefix, which every signed checkpoint repeats.
"""

from django.db import migrations, models

EVIDENCE_TABLES = ("agreements_acceptance", "agreements_evidencecheckpoint")

# TRUNCATE is let through only for a superuser session that asks for it by name (the test
# suite's flush between tests); such a role could drop the trigger anyway. UPDATE and DELETE
# are never let through.
CREATE_GUARD = """
CREATE OR REPLACE FUNCTION agreements_evidence_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND current_setting('mca.allow_evidence_truncate', true) = 'on'
       AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'acceptance evidence is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"""
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION agreements_evidence_append_only();
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION agreements_evidence_append_only();
"""
    for table in EVIDENCE_TABLES
)

DROP_GUARD = (
    "".join(
        f"""
DROP TRIGGER IF EXISTS {table}_append_only ON {table};
DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
"""
        for table in EVIDENCE_TABLES
    )
    + "DROP FUNCTION IF EXISTS agreements_evidence_append_only();"
)


def number_the_chain(apps, schema_editor):
    """Chain positions in the order records were appended; all of them predate signing."""
    schema_editor.execute(
        "UPDATE agreements_acceptance SET sequence = numbered.position FROM ("
        " SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS position FROM agreements_acceptance"
        ") AS numbered WHERE agreements_acceptance.id = numbered.id"
    )
    Acceptance = apps.get_model("agreements", "Acceptance")
    Head = apps.get_model("agreements", "EvidenceChainHead")
    legacy = Acceptance.objects.count()
    Head.objects.update_or_create(pk=1, defaults={"unsigned_prefix": legacy})


def install_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_GUARD, params=None)


def remove_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_GUARD, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0004_evidence_chain_head"),
    ]

    operations = [
        migrations.AddField(
            model_name="acceptance",
            name="sequence",
            field=models.PositiveBigIntegerField(null=True, verbose_name="chain position"),
        ),
        migrations.AddField(
            model_name="acceptance",
            name="statement",
            field=models.TextField(blank=True, verbose_name="signed statement"),
        ),
        migrations.AddField(
            model_name="acceptance",
            name="key_id",
            field=models.CharField(blank=True, max_length=32, verbose_name="signing key ID"),
        ),
        migrations.AddField(
            model_name="acceptance",
            name="signature",
            field=models.CharField(blank=True, max_length=128, verbose_name="signature"),
        ),
        migrations.AddField(
            model_name="evidencechainhead",
            name="unsigned_prefix",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.RunPython(number_the_chain, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="acceptance",
            name="sequence",
            field=models.PositiveBigIntegerField(unique=True, verbose_name="chain position"),
        ),
        migrations.CreateModel(
            name="EvidenceCheckpoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("count", models.PositiveBigIntegerField(unique=True, verbose_name="records")),
                ("head_hash", models.CharField(max_length=64, verbose_name="head hash")),
                ("signed_at", models.DateTimeField(verbose_name="signed")),
                ("statement", models.TextField(verbose_name="signed statement")),
                ("key_id", models.CharField(max_length=32, verbose_name="signing key ID")),
                ("signature", models.CharField(max_length=128, verbose_name="signature")),
            ],
            options={
                "verbose_name": "evidence checkpoint",
                "verbose_name_plural": "evidence checkpoints",
                "ordering": ["-count"],
            },
        ),
        migrations.RunPython(install_guard, remove_guard),
    ]
