"""The audit chain detects an edited, deleted or reordered entry, from the CLI too."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from ipex.core.audit import audit_log, audit_verify
from ipex.core.models import AuditEntry
from tests.conftest import SYSTEM


@pytest.fixture
def chain(db):
    for n in range(1, 6):
        audit_log(SYSTEM, "tests.thing.done", None, {"n": n, "note": "ünïcode 版权"})
    return list(AuditEntry.objects.order_by("seq"))


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_intact_chain_verifies(chain):
    result = audit_verify()
    assert result.ok and result.checked == 5
    call_command("audit", "verify")  # exits 0


def test_edited_entry_is_named(chain):
    raw("UPDATE core_auditentry SET action = %s WHERE seq = 3", ["tests.thing.undone"])
    result = audit_verify()
    assert (result.ok, result.bad_seq) == (False, 3)
    assert "altered" in result.reason
    with pytest.raises(CommandError, match="first bad entry is #3"):
        call_command("audit", "verify")


def test_edited_changes_json_is_detected(chain):
    raw("UPDATE core_auditentry SET changes = %s WHERE seq = 2", ['{"n": 99}'])
    assert audit_verify().bad_seq == 2


def test_deleted_middle_entry_is_named(chain):
    raw("DELETE FROM core_auditentry WHERE seq = 4")
    result = audit_verify()
    assert (result.ok, result.bad_seq) == (False, 4)
    assert "missing" in result.reason


def test_deleted_last_entry_is_detected(chain):
    raw("DELETE FROM core_auditentry WHERE seq = 5")
    result = audit_verify()
    assert not result.ok and result.bad_seq == 5


def test_reordered_entries_are_detected(chain):
    # Swap the contents of entries 2 and 3 (keeping their sequence numbers).
    a, b = chain[1], chain[2]
    raw(
        "UPDATE core_auditentry SET action = %s, hash = %s, prev_hash = %s WHERE seq = 2",
        ["swap", "x" * 64, "y" * 64],
    )
    raw(
        "UPDATE core_auditentry SET action = %s, hash = %s, prev_hash = %s WHERE seq = 3",
        [a.action, a.hash, a.prev_hash],
    )
    raw(
        "UPDATE core_auditentry SET action = %s, hash = %s, prev_hash = %s WHERE seq = 2",
        [b.action, b.hash, b.prev_hash],
    )
    result = audit_verify()
    assert not result.ok and result.bad_seq == 2


def test_orm_refuses_to_change_or_delete_entries(chain):
    entry = chain[0]
    entry.action = "changed"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(seq=1).update(action="x")
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()
    assert audit_verify().ok


def test_audit_page_is_for_node_admins_only(people):
    from tests.conftest import client_for

    assert client_for(people.admin).get("/audit/").status_code == 200
    assert client_for(people.supervisor).get("/audit/").status_code == 404
    page = client_for(people.admin).get("/audit/?action=directory.membership")
    body = page.content.decode()
    assert "directory.membership.granted" in body
    assert "directory.organisation.created" not in body
