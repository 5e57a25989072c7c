"""The tip-sealing keys: a key file created by node init, rotation to a new key with every
value and file resealed, old keys dropped, tips still readable; a missing key is refused."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from ipex.tips import crypto, services
from ipex.tips.models import Tip
from tests.tips.conftest import photo


def command(*args) -> str:
    out = StringIO()
    call_command("tips", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def key_file(settings, tmp_path):
    settings.IPEX_TIP_KEY = ""
    settings.DATA_DIR = tmp_path
    path = crypto.ensure_key_file()
    assert path == tmp_path / "tip-keys" and (path.stat().st_mode & 0o777) == 0o600
    return path


def test_rotation_reseals_everything_and_old_keys_can_be_dropped(key_file, submit, people):
    tip, receipt, _proof = submit(
        "Line behind the dye works", contact="wechat lotus", files=[photo()]
    )
    services.tip_acknowledge(actor=people.owner, tip=tip)
    services.tip_ask(actor=people.owner, tip=tip, question="Which gate?")
    old_key = key_file.read_text().split()[0]

    assert "New sealing key put first" in command("new-key")
    keys = key_file.read_text().split()
    assert len(keys) == 2 and keys[1] == old_key
    out = command("rotate-key", "--drop-old")
    assert "Resealed 4 values and 2 files" in out  # description, contact, question, file name
    assert key_file.read_text().split() == [keys[0]]

    row = Tip.objects.get(pk=tip.pk)
    assert crypto.is_current(row.description_sealed)
    assert services.tip_open_quiet(row)["description"] == "Line behind the dye works"
    assert services.tipster_view(row)["messages"][0]["body"] == "Which gate?"
    attachment = row.attachments.get()
    assert services.attachment_bytes(attachment, "original").startswith(b"\xff\xd8")
    assert services.tip_by_receipt(receipt).pk == tip.pk  # receipts do not depend on the key
    # A second run has nothing left to do.
    assert "Resealed 0 values and 0 files" in command("rotate-key")


def test_a_value_sealed_with_a_dropped_key_is_refused_clearly(key_file, submit):
    tip, _receipt, _proof = submit()
    key_file.write_text(crypto.new_key_text() + "\n")
    with pytest.raises(ImproperlyConfigured, match="no longer configured"):
        services.tip_open_quiet(Tip.objects.get(pk=tip.pk))


def test_without_any_key_and_debug_off_tips_are_refused(settings, tmp_path):
    settings.IPEX_TIP_KEY = ""
    settings.DEBUG = False
    settings.DATA_DIR = tmp_path / "empty"
    with pytest.raises(ImproperlyConfigured, match="No tip key"):
        crypto.seal("x", context="t")


def test_a_malformed_key_is_refused(settings):
    settings.IPEX_TIP_KEY = "not base64!"
    with pytest.raises(ImproperlyConfigured, match="base64"):
        crypto.keyring()
    settings.IPEX_TIP_KEY = "c2hvcnQ="
    with pytest.raises(ImproperlyConfigured, match="32 bytes"):
        crypto.keyring()
