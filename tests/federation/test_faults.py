"""Every fault of the exchange, one test each: bad signatures, replays, clocks, records
claimed by the wrong node, tampering, old versions, resurrection, crashes, duplicates and
reordering. Each is refused or handled as DESIGN says, audited, and nothing is lost,
duplicated or leaked."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import time
from unittest import mock

import httpx
import pytest

from ipex.core.models import AuditEntry, Distribution
from ipex.federation import canonical, httpsig, protocol
from ipex.federation.apply import apply_batch
from ipex.federation.models import ChangeLog, Quarantine, ReplicaState, SyncState
from ipex.federation.sync import sync_partner
from ipex.seizures.models import Seizure
from ipex.seizures.services import seizure_update
from tests.federation.conftest import URL
from tests.federation.test_exchange import record, share_group

pytestmark = pytest.mark.django_db(databases=["default", "node_b"])


@pytest.fixture
def shared(partnered):
    """On A, a seizure shared with the whole of node B, and its first envelope."""
    with partnered.on("a"):
        group = share_group(partnered, with_org=False)
        seizure = record(
            partnered,
            items=[{"category": "audiovisual.dvd", "quantity": 1200}],
            distribution=Distribution.GROUP,
            sharing_group=group,
        )
        first = ChangeLog.objects.get(record_uuid=seizure.uuid).envelope
    return partnered, seizure, first


def a_node_on_b(nodes):
    from ipex.directory.models import Node

    return Node.objects.get(uuid=nodes.a.node.uuid)


def pull(nodes):
    with nodes.on("b"):
        return sync_partner(a_node_on_b(nodes))


def raw_get(nodes, path, headers=None):
    """A request to node A from nowhere in particular."""
    transport = protocol.TRANSPORTS[URL["a"]]
    with httpx.Client(transport=transport) as client:
        return client.get(f"{URL['a']}{path}", headers=headers or {})


def signed_headers(nodes, path, query="", *, now=None):
    """Headers of a request to A signed by B (as B's code would make them)."""
    with nodes.on("b"):
        message = httpsig.Message(
            method="GET", path=path, query=f"?{query}" if query else "?", headers={}
        )
        headers, _nonce = httpsig.sign(
            message, key_id=canonical.key_id(nodes.b.node.public_key), now=now
        )
    return headers


def refusals(nodes) -> list[str]:
    with nodes.on("a"):
        return [
            e.changes["reason"]
            for e in AuditEntry.objects.filter(action="federation.request.refused").order_by("seq")
        ]


def test_unsigned_and_wrongly_signed_requests_are_refused_and_audited(shared):
    nodes, _seizure, _first = shared
    assert raw_get(nodes, "/federation/v1/changes").status_code == 401
    headers = signed_headers(nodes, "/federation/v1/changes")
    headers["Signature"] = f"ipex=:{base64.b64encode(bytes(64)).decode()}:"  # not B's
    assert raw_get(nodes, "/federation/v1/changes", headers).status_code == 401
    other_path = signed_headers(nodes, "/federation/v1/snapshot")
    assert raw_get(nodes, "/federation/v1/changes", other_path).status_code == 401
    assert refusals(nodes) == [
        "no IPEX signature on the message",
        "the signature does not match",
        "the signature does not match",
    ]


def test_a_replayed_request_is_refused(shared):
    nodes, _seizure, _first = shared
    headers = signed_headers(nodes, "/federation/v1/changes")
    assert raw_get(nodes, "/federation/v1/changes", headers).status_code == 200
    again = raw_get(nodes, "/federation/v1/changes", headers)
    assert again.status_code == 401
    assert refusals(nodes)[-1] == "a replayed request (its nonce was used before)"


def test_clock_hours_off_is_tolerated_and_days_off_is_refused_without_loss(shared):
    nodes, seizure, _first = shared
    hours_off = signed_headers(nodes, "/federation/v1/changes", now=time.time() + 5 * 3600)
    assert raw_get(nodes, "/federation/v1/changes", hours_off).status_code == 200
    days_off = signed_headers(nodes, "/federation/v1/changes", now=time.time() - 3 * 86400)
    assert raw_get(nodes, "/federation/v1/changes", days_off).status_code == 401
    assert "too long ago" in refusals(nodes)[-1]
    # Node B's clock days off: its pull fails, is recorded, and nothing is lost...
    real_sign = httpsig.sign

    def b_signs_days_behind(*args, **kwargs):
        if nodes.current == "b":
            kwargs["now"] = time.time() - 3 * 86400
        return real_sign(*args, **kwargs)

    with (
        mock.patch.object(httpsig, "sign", b_signs_days_behind),
        pytest.raises(protocol.SyncError),
    ):
        pull(nodes)
    with nodes.on("b"):
        assert SyncState.objects.get(partner=a_node_on_b(nodes)).last_error
        assert not Seizure.objects.filter(uuid=seizure.uuid).exists()
    # ...once the clock is right, the next pull brings everything.
    assert pull(nodes).applied == 1


def test_a_version_of_a_record_the_sender_does_not_own_is_quarantined(shared):
    nodes, seizure, first = shared
    claimed = dict(first, origin=str(nodes.b.node.uuid))  # as if it were B's own
    with nodes.on("b"):
        a = a_node_on_b(nodes)
        outcome = apply_batch(a, [claimed], 0)
        assert outcome.quarantined == 1
        assert Quarantine.objects.get().reason == "a version of a record the sender does not own"
        assert not Seizure.objects.filter(uuid=seizure.uuid).exists()
        assert AuditEntry.objects.filter(action="federation.envelope.quarantined").exists()


def test_a_tampered_envelope_is_quarantined(shared):
    nodes, seizure, first = shared
    tampered = copy.deepcopy(first)
    tampered["payload"]["items"][0]["quantity"] = 1
    tampered["sha256"] = canonical.sha256_hex(tampered["payload"])  # a consistent forgery
    with nodes.on("b"):
        outcome = apply_batch(a_node_on_b(nodes), [tampered], 0)
        assert outcome.quarantined == 1
        assert Quarantine.objects.get().reason == "the envelope's signature does not match"
        assert not Seizure.objects.filter(uuid=seizure.uuid).exists()


def test_a_tampered_outbox_row_never_leaves(shared):
    nodes, seizure, first = shared
    with nodes.on("a"):
        row = ChangeLog.objects.get(record_uuid=seizure.uuid)
        row.envelope = dict(row.envelope, distribution="public")
        row.save()
    assert pull(nodes).applied == 0
    with nodes.on("a"):
        blocked = AuditEntry.objects.get(action="federation.egress.blocked")
        assert blocked.changes["reason"] == "the stored envelope's signature does not match"


def test_an_outbox_row_needs_its_own_seal_or_a_good_signature(shared):
    """The seal spares the egress check the signature check; a seal that does not fit (lost
    with a key rotation, or taken from another row) falls back to it."""
    nodes, seizure, first = shared
    with nodes.on("a"):
        row = ChangeLog.objects.get(record_uuid=seizure.uuid)
        assert len(row.seal) == 64
        other = record(
            nodes,
            reference="GD-2013-0099",
            distribution=Distribution.GROUP,
            sharing_group=seizure.sharing_group,
        )
        other_row = ChangeLog.objects.get(record_uuid=other.uuid)
        # An intact envelope with a seal that does not fit still leaves: its signature holds.
        ChangeLog.objects.filter(pk=row.pk).update(seal="0" * 64)
        # A forged envelope wearing a real seal (another row's) does not.
        ChangeLog.objects.filter(pk=other_row.pk).update(
            envelope=dict(other_row.envelope, distribution="public"), seal=row.seal
        )
    assert pull(nodes).applied == 1
    with nodes.on("b"):
        assert Seizure.objects.filter(uuid=seizure.uuid).exists()
        assert not Seizure.objects.filter(uuid=other.uuid).exists()
    with nodes.on("a"):
        blocked = AuditEntry.objects.get(action="federation.egress.blocked")
        assert blocked.changes["uuid"] == str(other.uuid)


def test_lower_versions_and_resurrection_are_ignored(shared):
    nodes, seizure, first = shared
    pull(nodes)
    with nodes.on("a"):
        seizure_update(actor=nodes.a.officer, seizure=seizure, place="Dock 4")
        seizure.refresh_from_db()
        from ipex.seizures.services import seizure_withdraw

        seizure_withdraw(actor=nodes.a.officer, seizure=seizure, reason="duplicate")
        tombstone = ChangeLog.objects.get(record_uuid=seizure.uuid, tombstone=True).envelope
    with nodes.on("b"):
        a = a_node_on_b(nodes)
        apply_batch(a, [tombstone], 0)
        assert not Seizure.objects.filter(uuid=seizure.uuid).exists()
        # The first version again (or anything older than the tombstone): ignored for good.
        outcome = apply_batch(a, [first], 0)
        assert outcome.older == 1 and outcome.applied == 0
        assert not Seizure.objects.filter(uuid=seizure.uuid).exists()
        assert ReplicaState.objects.get(record_uuid=seizure.uuid).tombstone


def test_the_same_batch_twice_and_batches_out_of_order(shared):
    nodes, seizure, first = shared
    with nodes.on("a"):
        seizure_update(actor=nodes.a.officer, seizure=seizure, place="Dock 4")
        second = ChangeLog.objects.filter(record_uuid=seizure.uuid).order_by("seq").last().envelope
    with nodes.on("b"):
        a = a_node_on_b(nodes)
        assert apply_batch(a, [second], 2).applied == 1  # the later batch first
        assert apply_batch(a, [first], 1).older == 1  # then the earlier one
        assert apply_batch(a, [second], 2).unchanged == 1  # and the later one again
        replica = Seizure.objects.get(uuid=seizure.uuid)
        assert replica.place == "Dock 4" and replica.version == second["version"]
        assert SyncState.objects.get(partner=a).cursor == 2


def test_the_same_version_with_other_content_is_quarantined(shared):
    nodes, seizure, first = shared
    pull(nodes)
    with nodes.on("a"):
        # A forged second edition of version 1, signed by A's own key (a broken origin).
        other = copy.deepcopy(first)
        other["payload"]["place"] = "Elsewhere"
        other["sha256"] = canonical.sha256_hex(other["payload"])
        other["signature"] = canonical.sign(
            canonical.canonical({k: v for k, v in other.items() if k != "signature"})
        )
    with nodes.on("b"):
        outcome = apply_batch(a_node_on_b(nodes), [other], 0)
        assert outcome.quarantined == 1
        assert Quarantine.objects.get().reason == "the same version with other content"
        assert Seizure.objects.get(uuid=seizure.uuid).place == ""


def test_a_crash_in_the_middle_of_a_batch_loses_and_duplicates_nothing(shared):
    nodes, seizure, _first = shared
    with nodes.on("a"):
        other = record(
            nodes,
            reference="GD-2013-0043",
            seized_on=dt.date(2013, 5, 7),
            items=[{"category": "books", "quantity": 10}],
            distribution=Distribution.GROUP,
            sharing_group=seizure.sharing_group,
        )
    from ipex.seizures.federation import SeizureType

    real = SeizureType.prepare  # each envelope of the page goes through it, in order
    calls = []

    def crash_on_second(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("killed")
        return real(self, *args, **kwargs)

    with mock.patch.object(SeizureType, "prepare", crash_on_second), pytest.raises(RuntimeError):
        pull(nodes)
    with nodes.on("b"):
        assert not Seizure.objects.filter(uuid__in=[seizure.uuid, other.uuid]).exists()
        assert SyncState.objects.get(partner=a_node_on_b(nodes)).cursor == 0
    assert pull(nodes).applied == 2
    with nodes.on("b"):
        assert Seizure.objects.filter(uuid__in=[seizure.uuid, other.uuid]).count() == 2
    assert pull(nodes).applied == 0


def test_old_nonces_are_forgotten_once_they_cannot_be_replayed(shared, settings):
    import datetime as dt

    from django.utils import timezone

    from ipex.federation.models import SeenNonce
    from ipex.federation.sync import prune_nonces

    nodes, _seizure, _first = shared
    pull(nodes)
    with nodes.on("a"):
        assert SeenNonce.objects.exists()
        SeenNonce.objects.update(seen_at=timezone.now() - dt.timedelta(days=3))
        assert prune_nonces() >= 1 and not SeenNonce.objects.exists()


def test_a_signed_payload_this_node_cannot_read_is_held_back_and_the_rest_applied(shared):
    """The origin signed it, but a quantity is not a number: quarantined with the reason,
    and the envelopes after it in the same page are applied all the same."""
    nodes, seizure, first = shared
    with nodes.on("a"):
        other = record(
            nodes,
            reference="GD-2013-0100",
            distribution=Distribution.GROUP,
            sharing_group=seizure.sharing_group,
        )
        good = ChangeLog.objects.get(record_uuid=other.uuid).envelope
        broken = copy.deepcopy(first)
        broken["payload"]["items"][0]["quantity"] = "many"
        broken["sha256"] = canonical.sha256_hex(broken["payload"])
        broken["signature"] = canonical.sign(
            canonical.canonical({k: v for k, v in broken.items() if k != "signature"})
        )
    with nodes.on("b"):
        outcome = apply_batch(a_node_on_b(nodes), [broken, good], 7)
        assert (outcome.quarantined, outcome.applied) == (1, 1)
        assert Quarantine.objects.get().reason.startswith("a payload this node cannot read")
        assert not Seizure.objects.filter(uuid=seizure.uuid).exists()
        assert Seizure.objects.filter(uuid=other.uuid).exists()
        assert SyncState.objects.get(partner=a_node_on_b(nodes)).cursor == 7


def test_envelopes_of_the_wrong_shape_are_quarantined_not_a_crash(shared):
    nodes, seizure, first = shared
    shapes = [
        "text",
        {"type": ["seizures.seizure"]},
        dict(first, key_id=["k"]),
        dict(first, uuid=42),
        dict(first, version="2"),
    ]
    with nodes.on("b"):
        outcome = apply_batch(a_node_on_b(nodes), shapes, 0)
        assert outcome.quarantined == len(shapes) and outcome.applied == 0
        assert sorted(Quarantine.objects.values_list("reason", flat=True)) == sorted(
            [
                "not an envelope",
                "a type this node does not take: ['seizures.seizure']",
                "the envelope's signature does not match",
                "no record id",
                "no version",
            ]
        )
        assert not Seizure.objects.filter(uuid=seizure.uuid).exists()


@pytest.mark.parametrize(
    "answer",
    [
        ["not", "a", "page"],
        {"changes": "not a list", "next": 3, "more": False},
        {"changes": [], "next": "3", "more": False},
        {"changes": [], "more": False},
    ],
)
def test_a_page_of_the_wrong_shape_stops_the_pull_with_the_reason(shared, answer):
    nodes, seizure, _first = shared
    from types import SimpleNamespace

    # signed, but of that shape
    page = SimpleNamespace(result=lambda: answer, extra=None, first=True)
    with (
        nodes.on("b"),
        mock.patch("ipex.federation.sync._Pull.ask", return_value=page),
        pytest.raises(protocol.SyncError, match="answered a page this node cannot read"),
    ):
        sync_partner(a_node_on_b(nodes))
    with nodes.on("b"):
        state = SyncState.objects.get(partner=a_node_on_b(nodes))
        assert "cannot read" in state.last_error and state.cursor == 0
        assert not Seizure.objects.filter(uuid=seizure.uuid).exists()
