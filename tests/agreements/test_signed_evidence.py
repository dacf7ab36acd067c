"""Signed evidence: records and checkpoints signed with a key outside the database, receipts
that verify offline, and the rewrites and truncations an attacker with the database can do."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from agreements import signing
from agreements.models import Acceptance, EvidenceCheckpoint
from tests import factories as f
from tests.agreements.evidence_tampering import as_database_owner, rewrite_chain, truncate_newest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def three_records(acme, alice, sam):
    return [
        f.attest(acme, alice, first_name="Jana"),
        f.attest(acme, sam, first_name="Petr"),
        f.attest(acme, alice, first_name="Eva"),
    ]


def verify(*args: str) -> str:
    out = io.StringIO()
    call_command("verify_evidence", *args, stdout=out)
    return out.getvalue()


def test_a_record_is_signed_by_public_identifiers_with_a_key_kept_outside_the_database(
    acme, alice, template_cz
):
    record = f.attest(acme, alice)
    statement = json.loads(record.statement)
    assert statement["tenantId"] == str(acme.tenant_id)
    assert statement["templateId"] == str(template_cz.template_id)
    assert statement["partnerId"] == alice.partner.partner_id
    assert statement["recordId"] == str(record.public_id)
    assert statement["sequence"] == record.sequence == 1
    # No internal row id is named anywhere in what is signed.
    assert not {"customer", "template", "partner", "id"} & set(statement)
    keys = signing.verification_keys()
    assert signing.verify(
        record.statement.encode(), {"keyId": record.key_id, "value": record.signature}, keys
    )
    key_file = Path(settings.EVIDENCE_KEY_DIR) / signing.PRIVATE_KEY_FILE
    assert key_file.exists() and oct(key_file.stat().st_mode & 0o777) == "0o600"
    private_pem = key_file.read_text()
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, signature, key_id FROM agreements_acceptance")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert "PRIVATE KEY" not in stored and private_pem.splitlines()[1] not in stored


def test_every_record_writes_a_signed_checkpoint_of_the_chain_head(acme, alice, three_records):
    checkpoints = list(EvidenceCheckpoint.objects.order_by("count"))
    assert [c.count for c in checkpoints] == [1, 2, 3]
    assert [c.head_hash for c in checkpoints] == [r.chain_hash for r in three_records]
    latest = checkpoints[-1].as_json()
    assert latest["statement"]["count"] == 3
    assert signing.verify(
        signing.canonical_json(latest["statement"]),
        latest["signature"],
        signing.verification_keys(),
    )


def test_verify_evidence_checks_signatures_and_checkpoints(three_records):
    assert "3 records verified; 3 checkpoints agree" in verify()


def test_a_rewrite_with_every_later_hash_recomputed_is_named_by_verify_evidence(three_records):
    victim = three_records[1]
    rewrite_chain({2: {"email": "mallory@example.com"}})
    assert Acceptance.objects.get(pk=victim.pk).email == "mallory@example.com"
    with pytest.raises(CommandError) as error:
        verify()
    assert str(victim.public_id) in str(error.value)
    assert "signature" in str(error.value)


def test_a_column_changed_without_its_statement_is_named(three_records):
    victim = three_records[0]
    as_database_owner(
        "UPDATE agreements_acceptance SET email = %s WHERE id = %s",
        ["mallory@example.com", victim.pk],
    )
    with pytest.raises(CommandError, match=f"{victim.public_id}.*email"):
        verify()


def test_truncating_the_newest_records_is_caught_by_an_exported_checkpoint(three_records, tmp_path):
    exported = io.StringIO()
    call_command("export_checkpoint", stdout=exported)
    kept = tmp_path / "checkpoint.json"
    kept.write_text(exported.getvalue())

    truncate_newest(keep=1)

    # The database alone can't tell: its head and checkpoints were rolled back too.
    assert "1 records verified" in verify()
    with pytest.raises(CommandError, match="the newest 2 were removed"):
        verify("--checkpoint", str(kept))


def test_an_exported_checkpoint_catches_a_rewrite_with_recomputed_hashes(three_records, tmp_path):
    exported = io.StringIO()
    call_command("export_checkpoint", stdout=exported)
    kept = tmp_path / "checkpoint.json"
    kept.write_text(exported.getvalue())
    rewrite_chain({3: {"first_name": "Mallory"}})
    with pytest.raises(CommandError, match="rewritten"):
        verify("--checkpoint", str(kept))


def test_a_receipt_kept_by_the_partner_catches_its_record_being_removed(
    three_records, api_as, alice, acme, tmp_path
):
    record = three_records[2]
    receipt = api_as(alice).get(
        f"/v1/customers/{acme.tenant_id}/agreements/{record.public_id}/receipt"
    )
    kept = tmp_path / "receipt.json"
    kept.write_bytes(receipt.content)
    truncate_newest(keep=2)
    with pytest.raises(CommandError, match="(missing|removed)"):
        verify("--checkpoint", str(kept))


def test_a_date_the_database_cant_convert_is_a_finding_not_a_traceback(three_records):
    victim = three_records[1]
    odd = "0044-03-15 BC" if connection.vendor == "postgresql" else "not a date"
    as_database_owner(
        "UPDATE agreements_acceptance SET date_agreed = %s WHERE id = %s", [odd, victim.pk]
    )
    with pytest.raises(CommandError, match=f"{victim.public_id}.*can't be read back"):
        verify()


def test_records_turned_into_unsigned_legacy_ones_are_named(three_records):
    victim = three_records[2]
    as_database_owner(
        "UPDATE agreements_acceptance SET statement = '', signature = '', key_id = '' "
        "WHERE id = %s",
        [victim.pk],
    )
    with pytest.raises(CommandError, match=str(victim.public_id)):
        verify()


def test_rotating_the_key_keeps_older_records_verifiable(acme, alice, settings, tmp_path):
    settings.EVIDENCE_KEY_DIR = tmp_path / "keys"
    signing.current_signing_key.cache_clear()
    signing.verification_keys.cache_clear()
    try:
        before = f.attest(acme, alice, first_name="Jana")
        call_command("evidence_key", "rotate", stdout=io.StringIO())
        after = f.attest(acme, alice, first_name="Petr")
        assert before.key_id != after.key_id
        assert {before.key_id, after.key_id} <= set(signing.verification_keys())
        assert "2 records verified" in verify()
        published = {key["kid"]: key["status"] for key in signing.key_set()["keys"]}
        assert published == {before.key_id: "retired", after.key_id: "current"}
    finally:
        signing.current_signing_key.cache_clear()
        signing.verification_keys.cache_clear()


def test_the_public_keys_are_published_at_a_well_known_url(client, acme, alice):
    record = f.attest(acme, alice)
    response = client.get("/.well-known/mca-evidence-keys.json")
    assert response.status_code == 200
    (key,) = response.json()["keys"]
    assert key["kid"] == record.key_id
    assert key["kty"] == "OKP" and key["crv"] == "Ed25519" and key["status"] == "current"
    assert "PRIVATE" not in response.content.decode()


# Receipts ------------------------------------------------------------------------------------


def test_an_agent_gets_the_receipt_of_a_record_through_the_api(api_as, hana, acme, alice):
    record = f.attest(acme, alice)
    response = api_as(hana).get(
        f"/v1/customers/{acme.tenant_id}/agreements/{record.public_id}/receipt"
    )
    assert response.status_code == 200
    receipt = response.json()
    assert receipt["record"] == json.loads(record.statement)
    assert receipt["chainHash"] == record.chain_hash
    assert receipt["signature"]["keyId"] == record.key_id
    assert receipt["checkpoint"]["statement"]["count"] == 1
    assert receipt["keys"].endswith("/.well-known/mca-evidence-keys.json")


def test_another_partners_agent_gets_404_for_a_receipt(api_as, lisa, acme, alice):
    record = f.attest(acme, alice)
    response = api_as(lisa).get(
        f"/v1/customers/{acme.tenant_id}/agreements/{record.public_id}/receipt"
    )
    assert response.status_code == 404
    assert response.json()["code"] in (60003, 1000)


def test_an_unknown_record_id_gets_404(api_as, alice, acme):
    response = api_as(alice).get(
        f"/v1/customers/{acme.tenant_id}/agreements/00000000-0000-0000-0000-000000000000/receipt"
    )
    assert response.status_code == 404


def test_the_receipt_is_a_download_on_account_info(client, alice, acme, lisa):
    record = f.attest(acme, alice)
    client.force_login(alice)
    page = client.get(f"/customers/{acme.tenant_id}/")
    url = f"/customers/{acme.tenant_id}/agreements/{record.public_id}/receipt/"
    assert url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["chainHash"] == record.chain_hash
    client.force_login(lisa)
    assert client.get(url).status_code == 404


def test_the_latest_checkpoint_is_retrievable_through_the_api(api_as, hana, acme, alice):
    assert api_as(hana).get("/v1/evidence/checkpoints/latest").status_code == 404
    record = f.attest(acme, alice)
    response = api_as(hana).get("/v1/evidence/checkpoints/latest")
    assert response.status_code == 200
    assert response.json()["statement"]["headHash"] == record.chain_hash


def _verify_receipt_offline(path: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        # Nothing listens here: any attempt to open a connection would fail the command.
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/unreachable",
        "EVIDENCE_KEY_DIR": str(settings.EVIDENCE_KEY_DIR),
    }
    return subprocess.run(
        [sys.executable, "manage.py", "verify_receipt", str(path), *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_verify_receipt_verifies_a_downloaded_receipt_with_no_database_and_rejects_a_changed_byte(
    api_as, alice, acme, tmp_path, client
):
    record = f.attest(acme, alice)
    receipt = api_as(alice).get(
        f"/v1/customers/{acme.tenant_id}/agreements/{record.public_id}/receipt"
    )
    path = tmp_path / "receipt.json"
    path.write_bytes(receipt.content)

    valid = _verify_receipt_offline(path)
    assert valid.returncode == 0, valid.stderr
    assert "Receipt valid" in valid.stdout

    keys = tmp_path / "keys.json"
    keys.write_bytes(client.get("/.well-known/mca-evidence-keys.json").content)
    assert _verify_receipt_offline(path, "--keys", str(keys)).returncode == 0

    changed = tmp_path / "changed.json"
    changed.write_text(receipt.content.decode().replace("jana@example.cz", "jana@example.cy"))
    rejected = _verify_receipt_offline(changed)
    assert rejected.returncode != 0
    assert "NOT valid" in rejected.stderr


def test_production_refuses_to_start_without_a_signing_key(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "portal.example",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/unreachable",
        "EVIDENCE_KEY_DIR": str(tmp_path / "no-keys-here"),
        "EVIDENCE_SIGNING_KEY": "",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "evidence signing key" in result.stderr


def test_the_receipt_download_is_for_agents_only(client, acme, alice, acme_admin):
    record = f.attest(acme, alice)
    url = f"/customers/{acme.tenant_id}/agreements/{record.public_id}/receipt/"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    client.force_login(acme_admin)
    assert client.get(url).status_code in (403, 404)


def test_a_malformed_or_unknown_record_id_is_not_found_on_the_web(client, acme, alice):
    f.attest(acme, alice)
    client.force_login(alice)
    base = f"/customers/{acme.tenant_id}/agreements"
    assert client.get(f"{base}/not-a-uuid/receipt/").status_code == 404
    assert client.get(f"{base}/00000000-0000-0000-0000-000000000000/receipt/").status_code == 404


def test_the_checkpoint_and_receipt_apis_need_a_token(anonymous_api, acme, alice):
    record = f.attest(acme, alice)
    for path in (
        "/v1/evidence/checkpoints/latest",
        f"/v1/customers/{acme.tenant_id}/agreements/{record.public_id}/receipt",
    ):
        assert anonymous_api.get(path).status_code == 401
