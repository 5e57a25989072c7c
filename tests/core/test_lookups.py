"""``uuid__any``: the records of a long list of uuids, as ``uuid__in`` finds them, on both
databases (one array parameter on PostgreSQL)."""

from __future__ import annotations

import uuid

import pytest

from ipex.directory.models import Node


def test_uuid_any_finds_what_uuid_in_finds(node, partner_node):
    strangers = [uuid.uuid4() for _ in range(2000)]  # a pulled page names a thousand or more
    wanted = [node.uuid, str(partner_node.uuid), *strangers]  # uuids or their text
    found = set(Node.objects.filter(uuid__any=wanted))
    assert found == set(Node.objects.filter(uuid__in=wanted)) == {node, partner_node}
    assert set(Node.objects.exclude(uuid__any=[node.uuid])) == set(
        Node.objects.exclude(uuid__in=[node.uuid])
    )
    assert partner_node in Node.objects.exclude(uuid__any=[node.uuid])
    assert not Node.objects.filter(uuid__any=[]).exists()
    assert not Node.objects.filter(uuid__any=strangers).exists()


def test_uuid_any_refuses_what_is_not_a_uuid(node):
    with pytest.raises(ValueError):
        list(Node.objects.filter(uuid__any=["not a uuid"]))
