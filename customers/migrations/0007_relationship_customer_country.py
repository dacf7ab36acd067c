import django_countries.fields
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_countries(apps, schema_editor):
    Relationship = apps.get_model("customers", "Relationship")
    Customer = apps.get_model("customers", "Customer")
    Relationship.objects.update(
        customer_country=Subquery(
            Customer.objects.filter(pk=OuterRef("customer_id")).values("country")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0006_relationship_invited_until"),
    ]

    operations = [
        migrations.AddField(
            model_name="relationship",
            name="customer_country",
            field=django_countries.fields.CountryField(
                default="", editable=False, max_length=2, verbose_name="customer's country"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(copy_countries, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="relationship",
            index=models.Index(
                fields=["partner", "customer_country", "agreement_status"],
                name="rel_partner_country_idx",
            ),
        ),
    ]
