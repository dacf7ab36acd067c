"""Offers and orders move to the orders app (orders.0001): only Django's idea of which app
owns them changes here; their tables and rows stay exactly where they are."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0007_relationship_customer_country'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='orderline',
                    name='offer',
                ),
                migrations.RemoveField(
                    model_name='order',
                    name='customer',
                ),
                migrations.RemoveField(
                    model_name='order',
                    name='partner',
                ),
                migrations.RemoveField(
                    model_name='order',
                    name='placed_by',
                ),
                migrations.RemoveField(
                    model_name='order',
                    name='renews',
                ),
                migrations.RemoveField(
                    model_name='orderline',
                    name='order',
                ),
                migrations.DeleteModel(
                    name='Offer',
                ),
                migrations.DeleteModel(
                    name='Order',
                ),
                migrations.DeleteModel(
                    name='OrderLine',
                ),
            ],
            database_operations=[],
        ),
    ]
