import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from agreements.models import GENESIS_HASH, Acceptance, EvidenceError
from tests import factories as f
from tests.agreements.evidence_tampering import as_database_owner

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(acme, alice):
    return f.attest(acme, alice)


def test_records_are_chained_to_the_previous_one(acme, alice):
    first = f.attest(acme, alice, first_name="Jana")
    second = f.attest(acme, alice, first_name="Petr")
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.chain_hash
    assert second.chain_hash == second.compute_hash()


def test_saving_an_existing_record_raises(record):
    record.first_name = "Mallory"
    with pytest.raises(EvidenceError):
        record.save()


def test_deleting_a_record_raises(record):
    with pytest.raises(EvidenceError):
        record.delete()


def test_queryset_update_and_delete_raise(record):
    with pytest.raises(EvidenceError):
        Acceptance.objects.filter(pk=record.pk).update(first_name="Mallory")
    with pytest.raises(EvidenceError):
        Acceptance.objects.all().delete()
    with pytest.raises(EvidenceError):
        Acceptance.objects.bulk_update([record], ["first_name"])
    assert Acceptance.objects.get(pk=record.pk).first_name == "Jana"


def test_a_record_cannot_be_created_outside_the_chain(acme, alice, template_cz):
    with pytest.raises(EvidenceError):
        Acceptance(customer=acme, template=template_cz, partner=alice.partner).save()


def test_the_customer_of_a_record_cannot_be_deleted(record):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        record.customer.delete()


def test_verify_evidence_passes_on_the_demo_world(demo_world):
    out = io.StringIO()
    call_command("verify_evidence", stdout=out)
    assert "intact" in out.getvalue()
    assert Acceptance.objects.count() > 5


def test_verify_evidence_names_a_row_altered_with_raw_sql(demo_world):
    victim = Acceptance.objects.order_by("id")[3]
    as_database_owner(
        "UPDATE agreements_acceptance SET date_agreed = %s WHERE id = %s",
        ["2001-01-01", victim.pk],
    )
    with pytest.raises(CommandError, match=str(victim.public_id)):
        call_command("verify_evidence", stdout=io.StringIO())


def test_verify_evidence_notices_a_removed_row(demo_world):
    victim = Acceptance.objects.order_by("id")[2]
    as_database_owner("DELETE FROM agreements_acceptance WHERE id = %s", [victim.pk])
    with pytest.raises(CommandError, match="broken"):
        call_command("verify_evidence", stdout=io.StringIO())


def test_verify_evidence_exits_non_zero_from_the_command_line(demo_world, capsys):
    from django.core.management import ManagementUtility

    as_database_owner("UPDATE agreements_acceptance SET email = 'x@example.com'")
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "verify_evidence"]).execute()
    assert exit_info.value.code == 1
    assert "broken" in capsys.readouterr().err


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE agreements_acceptance SET email = 'mallory@example.com'",
        "DELETE FROM agreements_acceptance",
        "TRUNCATE agreements_acceptance CASCADE",
        "UPDATE agreements_evidencecheckpoint SET head_hash = 'x'",
        "DELETE FROM agreements_evidencecheckpoint",
        "TRUNCATE agreements_evidencecheckpoint",
    ],
)
def test_postgresql_refuses_to_change_or_remove_evidence(record, sql):
    from django.db import DatabaseError, transaction

    with connection.cursor() as cursor:
        # What the test suite's flush asks for by name is not asked here.
        cursor.execute("RESET mca.allow_evidence_truncate")
        # Settle the test's own deferred foreign-key checks, which TRUNCATE would wait for.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        try:
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                cursor.execute(sql)
        finally:
            cursor.execute("SET mca.allow_evidence_truncate = 'on'")
    assert Acceptance.objects.filter(pk=record.pk, email=record.email).exists()


def test_the_orm_back_doors_are_refused_too(record):
    from django.db import DatabaseError, transaction

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no triggers: the model's guards are all it has")
    with pytest.raises(DatabaseError), transaction.atomic():
        Acceptance._base_manager.filter(pk=record.pk).update(email="mallory@example.com")
    with pytest.raises(DatabaseError), transaction.atomic():
        Acceptance._base_manager.filter(pk=record.pk)._raw_delete(using="default")
    assert Acceptance.objects.get(pk=record.pk).email == record.email
