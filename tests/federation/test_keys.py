"""Key rotation: a node replaces its key, endorsed by the old one; partners learn the new key
by themselves the next time they meet it (pulling, or being called), keep the old one for
what it signed, and refuse a key no key they hold endorsed."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.core.management import call_command

from ipex.core.models import AuditEntry, Distribution
from ipex.directory.models import Node
from ipex.federation.keys import node_key_rotate
from ipex.federation.models import NodeKey
from ipex.seizures.models import Seizure
from tests.federation.test_exchange import record, share_group
from tests.federation.test_faults import a_node_on_b, pull

pytestmark = pytest.mark.django_db(databases=["default", "node_b"])


@pytest.fixture(autouse=True)
def _fresh_throttle():
    caches["throttle"].clear()


def test_a_rotated_key_is_learnt_by_the_partner_and_the_old_one_still_verifies(partnered):
    nodes = partnered
    with nodes.on("a"):
        group = share_group(nodes, with_org=False)
        before = record(
            nodes, reference="GD-OLD", distribution=Distribution.GROUP, sharing_group=group
        )
        old_key = nodes.keys["a"].read_bytes()
        call_command("node", "rotate-key")
        assert nodes.keys["a"].read_bytes() != old_key  # the key file holds the new key
        node = Node.local()
        new = NodeKey.objects.get(node=node, retired_at__isnull=True)
        assert new.public_key == node.public_key and new.endorsed_by
        after = record(
            nodes, reference="GD-NEW", distribution=Distribution.GROUP, sharing_group=group
        )
    outcome = pull(nodes)  # B meets A's new key in A's answer and learns it
    assert (outcome.applied, outcome.quarantined) == (2, 0)
    with nodes.on("b"):
        a = a_node_on_b(nodes)
        assert a.public_key == new.public_key
        held = NodeKey.objects.filter(node=a)
        assert held.count() == 2 and held.filter(retired_at__isnull=False).count() == 1
        # The version signed with the old key and the one signed with the new key.
        assert Seizure.objects.filter(uuid__in=[before.uuid, after.uuid]).count() == 2
        assert AuditEntry.objects.filter(action="federation.partner.key_rotated").exists()


def test_a_partner_called_with_a_new_key_learns_it_from_the_caller(partnered):
    from ipex.federation.sync import sync_partner

    nodes = partnered
    pull(nodes)  # B knows A, A knows B: partners both ways
    with nodes.on("a"):
        node_key_rotate(actor=None)
        b = Node.objects.get(uuid=nodes.b.node.uuid)
        sync_partner(b)  # A calls B with its new key: B learns it from A's node document
    with nodes.on("b"):
        assert (
            a_node_on_b(nodes).public_key
            == NodeKey.objects.filter(node=a_node_on_b(nodes), retired_at__isnull=True)
            .get()
            .public_key
        )


def test_a_key_no_held_key_endorsed_is_refused(partnered, monkeypatch):
    """A document offering a new key with an endorsement by a key B never held (or none):
    B learns nothing, the pull fails, nothing is applied."""
    from ipex.federation import canonical, protocol

    nodes = partnered
    pull(nodes)
    with nodes.on("a"):
        group = share_group(nodes, with_org=False)
        record(nodes, reference="GD-X", distribution=Distribution.GROUP, sharing_group=group)
        # A's key replaced without an endorsement (a stolen database, a new install).
        nodes.keys["a"].unlink()
        from ipex.directory.services import node_private_key, public_key_b64

        fresh = public_key_b64(node_private_key())
        Node.objects.filter(is_local=True).update(public_key=fresh)
        NodeKey.objects.create(
            node=Node.local(),
            public_key=fresh,
            key_id=canonical.key_id(fresh),
            endorsed_by="0" * 32,
            endorsement="AAAA",
        )
    with pytest.raises(protocol.SyncError, match="unknown signing key"):
        pull(nodes)
    with nodes.on("b"):
        assert NodeKey.objects.filter(node=a_node_on_b(nodes)).count() == 1
        assert not Seizure.objects.filter(reference="GD-X").exists()


def test_rotating_needs_a_node_administrator(partnered):
    from ipex.core.errors import Forbidden

    with partnered.on("a"), pytest.raises(Forbidden):
        node_key_rotate(actor=partnered.a.officer)
