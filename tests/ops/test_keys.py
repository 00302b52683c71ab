"""Keys are never generated over encrypted data, and keys that do not open the data are named."""

from __future__ import annotations

import base64
import json
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction

from hrguard.core import crypto
from hrguard.core.keycheck import check_keys_open_data, encrypted_columns_with_data
from hrguard.evidence import checkpoints
from hrguard.evidence import services as evidence
from hrguard.people.models import Employee


@pytest.fixture
def keys_dir(tmp_path: Path, settings: Any) -> Any:
    """Point the keyring at an empty directory for one test (the session's keys come back after)."""
    original = settings.HRGUARD_KEYS_DIR
    crypto.keyring()  # the session keys exist before the switch (the world's data is encrypted with them)
    (tmp_path / "session-keys").symlink_to(original)  # for tests that need the session's field keys
    settings.HRGUARD_KEYS_DIR = tmp_path / "keys"
    crypto.reset_keyring_cache()
    yield tmp_path / "keys"
    settings.HRGUARD_KEYS_DIR = original
    crypto.reset_keyring_cache()


def test_missing_keys_over_encrypted_data_refuse_and_create_nothing(world: Any, keys_dir: Path) -> None:
    assert "people.employee.id_number" in encrypted_columns_with_data()
    with pytest.raises(crypto.KeysUnavailable, match="refusing to generate new keys") as exc:
        crypto.keyring()
    assert "people.employee.id_number" in str(exc.value)
    with pytest.raises(crypto.KeysUnavailable):
        check_keys_open_data()
    assert not (keys_dir / "field-keys.json").exists()


def test_other_installations_keys_are_named_not_used(world: Any, keys_dir: Path) -> None:
    keys_dir.mkdir()
    doc = {"current": "k1", "keys": {"k1": base64.b64encode(b"\x01" * 32).decode()},
           "index_key": base64.b64encode(b"\x02" * 32).decode()}
    (keys_dir / "field-keys.json").write_text(json.dumps(doc))
    with pytest.raises(crypto.KeysUnavailable, match=r"do not open people\.employee"):
        check_keys_open_data()
    doc["current"], doc["keys"] = "k9", {"k9": doc["keys"]["k1"]}
    (keys_dir / "field-keys.json").write_text(json.dumps(doc))
    crypto.reset_keyring_cache()
    with pytest.raises(crypto.KeysUnavailable, match="do not include key 'k1'"):
        check_keys_open_data()


def test_right_keys_open_the_data(world: Any) -> None:
    assert check_keys_open_data() >= 3  # id number, phone, bank account of the world's employees
    assert Employee.objects.get(pk=world.employees["east_rep"].pk).phone.startswith("138")


@pytest.mark.django_db
def test_keys_are_created_private_when_there_is_no_data(keys_dir: Path) -> None:
    assert encrypted_columns_with_data() == []
    assert check_keys_open_data() == 0
    assert not keys_dir.exists()  # nothing to check: no key made just for checking
    ring = crypto.keyring()
    path = keys_dir / "field-keys.json"
    assert ring.current == "k1" and path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(keys_dir.stat().st_mode) == 0o700
    assert crypto.decrypt(crypto.encrypt("x", "t"), "t") == "x"
    before = path.read_bytes()
    crypto.reset_keyring_cache()
    crypto.keyring()
    assert path.read_bytes() == before  # loaded, never regenerated
    assert settings.HRGUARD_KEYS_DIR == keys_dir


def test_signing_identity_is_not_regenerated_over_signed_checkpoints(world: Any, keys_dir: Path, settings: Any) -> None:
    signing_keys = keys_dir.parent / "signing-keys"  # the field keys, but no signing identity yet
    signing_keys.mkdir()
    shutil.copy(keys_dir.parent / "session-keys" / "field-keys.json", signing_keys / "field-keys.json")
    settings.HRGUARD_KEYS_DIR = signing_keys
    crypto.reset_keyring_cache()
    checkpoints._identities.clear()
    with transaction.atomic():
        evidence.record(world.company, None, "test.sign", None, {})
    checkpoints.issue_for_company(world.company.pk)  # creates the company PKI in signing-keys/
    assert (keys_dir.parent / "signing-keys" / "signing" / f"company-{world.company.pk}").is_dir()

    keys_dir.mkdir()
    shutil.copy(signing_keys / "field-keys.json", keys_dir / "field-keys.json")
    settings.HRGUARD_KEYS_DIR = keys_dir  # the signing keys were lost (the field keys were not)
    crypto.reset_keyring_cache()
    checkpoints._identities.clear()
    with pytest.raises(crypto.KeysUnavailable, match="has signed checkpoints"):
        checkpoints.company_identity(world.company.pk)
    assert not (keys_dir / "signing" / f"company-{world.company.pk}").exists()

    # Signing keys present but their passphrase lost: refused too, no new passphrase written.
    lost = keys_dir.parent / "signing-keys" / "signing" / "passphrase"
    lost.unlink()
    settings.HRGUARD_KEYS_DIR = keys_dir.parent / "signing-keys"
    checkpoints._identities.clear()
    with pytest.raises(crypto.KeysUnavailable, match="passphrase file"):
        checkpoints.company_identity(world.company.pk)
    assert not lost.exists()
    checkpoints._identities.clear()


def test_a_wrong_blind_index_key_is_refused_at_start(world: Any, keys_dir: Path) -> None:
    """The data keys open the data, but the index key is another one: every search by ID number or phone
    would find nobody, so the start-up check names the column and refuses."""
    keys_dir.mkdir()
    doc = json.loads((keys_dir.parent / "session-keys" / "field-keys.json").read_text())
    doc["index_key"] = base64.b64encode(b"\x07" * 32).decode()
    (keys_dir / "field-keys.json").write_text(json.dumps(doc))
    crypto.reset_keyring_cache()
    with pytest.raises(crypto.KeysUnavailable, match=r"blind-index key .* people\.employee\.id_number"):
        check_keys_open_data()
    shutil.copy(keys_dir.parent / "session-keys" / "field-keys.json", keys_dir / "field-keys.json")
    crypto.reset_keyring_cache()
    assert check_keys_open_data() >= 3
