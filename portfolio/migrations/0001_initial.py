from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("portal", "0003_api_token_expiry"),
    ]

    operations = [
        migrations.CreateModel(
            name="StatusDelta",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("status", models.CharField(max_length=10, verbose_name="agreement status")),
                ("until", models.DateField(blank=True, null=True, verbose_name="invited until (day)")),
                ("delta", models.BigIntegerField(verbose_name="change")),
                ("partner", models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="portal.partner", verbose_name="partner")),
            ],
            options={
                "verbose_name": "agreement status change",
                "verbose_name_plural": "agreement status changes",
                "indexes": [models.Index(fields=["partner", "status"], name="portfolio_delta_partner_idx")],
            },
        ),
        migrations.CreateModel(
            name="AcceptanceTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField(verbose_name="day")),
                ("count", models.BigIntegerField(verbose_name="acceptances")),
                ("partner", models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="portal.partner", verbose_name="partner")),
            ],
            options={
                "verbose_name": "acceptances of a day",
                "verbose_name_plural": "acceptances by day",
                "indexes": [models.Index(fields=["partner", "day"], name="portfolio_tally_partner_idx")],
            },
        ),
    ]
