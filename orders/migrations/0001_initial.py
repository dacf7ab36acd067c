"""Offers and orders, moved here from the customers app with their tables
(customers_offer, customers_order, customers_orderline) and rows untouched. On a database
made before the move, the content types follow the models, so admin history and
permissions keep pointing at them."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import django_countries.fields
import uuid
from django.conf import settings
from django.db import migrations, models

MOVED = ["offer", "order", "orderline"]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label="customers", model__in=MOVED
    ).update(app_label="orders")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label="orders", model__in=MOVED
    ).update(app_label="customers")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('customers', '0008_move_orders_to_their_app'),
        ('portal', '0002_api_tokens_and_idempotency'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Offer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('offer_id', models.CharField(max_length=64, unique=True, verbose_name='offer ID')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('product_type', models.CharField(choices=[('license', 'License-based offer'), ('software_subscription', 'Software subscription'), ('perpetual_software', 'Perpetual software'), ('reserved_instance', 'Reserved instance'), ('azure_plan', 'Azure plan')], max_length=24, verbose_name='product type')),
                        ('unit_price', models.DecimalField(decimal_places=2, max_digits=10, validators=[django.core.validators.MinValueValidator(0)], verbose_name='unit price')),
                        ('currency', models.CharField(default='USD', max_length=3, verbose_name='currency')),
                        ('countries', django_countries.fields.CountryField(blank=True, max_length=746, multiple=True, verbose_name='available in')),
                        ('is_active', models.BooleanField(default=True, verbose_name='available')),
                    ],
                    options={
                        'verbose_name': 'offer',
                        'verbose_name_plural': 'offers',
                        'db_table': 'customers_offer',
                        'ordering': ['product_type', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='Order',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('order_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name='order ID')),
                        ('placed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='placed')),
                        ('is_auto_renewal', models.BooleanField(default=False, verbose_name='auto-renewal')),
                        ('auto_renew', models.BooleanField(default=True, help_text='Renewed by renew_subscriptions when due.', verbose_name='renews automatically')),
                        ('renewal_due', models.DateField(blank=True, null=True, verbose_name='renewal due')),
                        ('channel', models.CharField(choices=[('web', 'Web'), ('api', 'API'), ('renewal', 'Auto-renewal')], default='web', max_length=20, verbose_name='channel')),
                        ('customer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='orders', to='customers.customer', verbose_name='customer')),
                        ('partner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='orders', to='portal.partner', verbose_name='partner')),
                        ('placed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='placed by')),
                        ('renews', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='renewals', to='orders.order', verbose_name='renews')),
                    ],
                    options={
                        'verbose_name': 'order',
                        'verbose_name_plural': 'orders',
                        'db_table': 'customers_order',
                        'ordering': ['-placed_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='OrderLine',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('quantity', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='quantity')),
                        ('unit_price', models.DecimalField(decimal_places=2, max_digits=10, verbose_name='unit price')),
                        ('currency', models.CharField(default='USD', max_length=3, verbose_name='currency')),
                        ('offer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orders.offer', verbose_name='offer')),
                        ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lines', to='orders.order', verbose_name='order')),
                    ],
                    options={
                        'verbose_name': 'order line',
                        'verbose_name_plural': 'order lines',
                        'db_table': 'customers_orderline',
                    },
                ),
                migrations.AddIndex(
                    model_name='order',
                    index=models.Index(fields=['customer', 'is_auto_renewal'], name='order_customer_renewal_idx'),
                ),
                migrations.AddIndex(
                    model_name='order',
                    index=models.Index(fields=['partner', '-placed_at'], name='order_partner_placed_idx'),
                ),
                migrations.AddConstraint(
                    model_name='order',
                    constraint=models.CheckConstraint(condition=models.Q(('is_auto_renewal', False), ('renews__isnull', False), _connector='OR'), name='order_renewal_names_original'),
                ),
                migrations.AddConstraint(
                    model_name='orderline',
                    constraint=models.CheckConstraint(condition=models.Q(('quantity__gte', 1)), name='orderline_quantity_positive'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
