from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_invited_until(apps, schema_editor):
    """Give every relationship marked invited the expiry of its partner's open invitation."""
    Relationship = apps.get_model("customers", "Relationship")
    Invitation = apps.get_model("invitations", "Invitation")
    open_until = (
        Invitation.objects.filter(
            partner_id=OuterRef("partner_id"),
            customer_id=OuterRef("customer_id"),
            status__in=["pending", "opened"],
        )
        .order_by("-created_at")
        .values("expires_at")[:1]
    )
    Relationship.objects.filter(agreement_status="invited").update(
        invited_until=Subquery(open_until)
    )
    # Marked invited with no open invitation left (one deleted or edited by hand): nothing
    # is on record, as the list reads it from now on.
    Relationship.objects.filter(agreement_status="invited", invited_until__isnull=True).update(
        agreement_status="none"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0005_search_pattern_indexes"),
        ("invitations", "0003_one_open_invitation_per_customer"),
    ]

    operations = [
        migrations.AddField(
            model_name="relationship",
            name="invited_until",
            field=models.DateTimeField(blank=True, null=True, verbose_name="invitation open until"),
        ),
        migrations.RunPython(fill_invited_until, migrations.RunPython.noop),
    ]
