"""Each appended record writes two index pages fewer.

PostgreSQL gave chain_hash (unique=True) a second index for LIKE, which nothing asks of a hash;
it is unique by a constraint instead (acceptance_chain_hash_unique, added before the old one
goes, so it is never without one). The customer's own index is dropped: acceptance_history_idx
begins with the customer and serves every lookup by it. At a million customers these random-key
indexes are larger than PostgreSQL's default buffers, so each page an append need not touch is
a read (and an eviction) saved.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0009_signatory_acceptance"),
        ("customers", "0014_search_index_pending_list_bounded"),
        ("portal", "0007_partner_contact_details"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="acceptance",
            constraint=models.UniqueConstraint(
                fields=("chain_hash",), name="acceptance_chain_hash_unique"
            ),
        ),
        migrations.AlterField(
            model_name="acceptance",
            name="chain_hash",
            field=models.CharField(max_length=64, verbose_name="chain hash"),
        ),
        migrations.AlterField(
            model_name="acceptance",
            name="customer",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="acceptances",
                to="customers.customer",
                verbose_name="customer",
            ),
        ),
    ]
