"""A Hypothesis state machine over two nodes: records are created, shared, narrowed, edited
and withdrawn on A, group memberships change, B pulls (sometimes crashing in the middle).
Checked throughout: B never holds a version A did not disclose to it (no leak); after a
clean pull, B holds exactly what A currently shares with it, at A's version (convergence),
and nothing withdrawn or narrowed comes back (no resurrection); replicas on B are seen only
by those the group reaches."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from ipex.core.models import Distribution
from ipex.core.services import shared_record_share
from ipex.directory import services as directory
from ipex.federation.models import Disclosure
from ipex.federation.sync import learn_organisations, sync_partner
from ipex.seizures.models import Seizure
from ipex.seizures.services import seizure_update, seizure_withdraw
from tests.federation.test_exchange import record

pytestmark = pytest.mark.django_db(databases=["default", "node_b"])

SHARES = ["org", "node", "public", "g_fcs", "g_node_b", "g_local"]


def machine_for(nodes):
    from ipex.directory.models import Node, Organisation

    class Exchange(RuleBasedStateMachine):
        records = Bundle("records")

        def __init__(self):
            super().__init__()
            self.blocks = [transaction.atomic(using="default"), transaction.atomic(using="node_b")]
            for block in self.blocks:
                block.__enter__()
            self.counter = 0

        def teardown(self):
            for alias, block in zip(("node_b", "default"), reversed(self.blocks), strict=True):
                transaction.set_rollback(True, using=alias)
                block.__exit__(None, None, None)

        @initialize()
        def groups(self):
            with nodes.on("a"):
                self.b_node = Node.objects.get(uuid=nodes.b.node.uuid)
                learn_organisations(self.b_node)
                fcs = Organisation.objects.get(code="RU-FCS")
                self.groups = {}
                for name, member in (
                    ("g_fcs", {"organisation": fcs}),
                    ("g_node_b", {"node": self.b_node}),
                    ("g_local", {"organisation": nodes.a.other}),
                ):
                    group = directory.sharing_group_create(
                        actor=None, owner_org=nodes.a.own, name=f"{name}-{id(self)}"
                    )
                    directory.sharing_group_add_member(actor=None, group=group, **member)
                    self.groups[name] = group
                self.fcs = fcs

        def _share(self, share):
            if share.startswith("g_"):
                return Distribution.GROUP, self.groups[share]
            return share, None

        @rule(target=records, share=st.sampled_from(SHARES))
        def create(self, share):
            distribution, group = self._share(share)
            self.counter += 1
            with nodes.on("a"):
                return record(
                    nodes,
                    reference=f"P-{self.counter}",
                    items=[{"category": "books", "quantity": self.counter}],
                    distribution=distribution,
                    sharing_group=group,
                ).uuid

        @rule(uuid=records, share=st.sampled_from(SHARES))
        def share(self, uuid, share):
            distribution, group = self._share(share)
            with nodes.on("a"):
                row = Seizure.objects.get(uuid=uuid)
                if row.withdrawn_at is None:
                    shared_record_share(
                        actor=nodes.a.officer,
                        record=row,
                        distribution=distribution,
                        sharing_group=group,
                    )

        @rule(uuid=records, place=st.sampled_from(["Dock 1", "Dock 2", "Warehouse"]))
        def edit(self, uuid, place):
            with nodes.on("a"):
                row = Seizure.objects.get(uuid=uuid)
                if row.withdrawn_at is None:
                    seizure_update(actor=nodes.a.officer, seizure=row, place=place)

        @rule(uuid=records)
        def withdraw(self, uuid):
            with nodes.on("a"):
                row = Seizure.objects.get(uuid=uuid)
                if row.withdrawn_at is None:
                    seizure_withdraw(actor=nodes.a.officer, seizure=row, reason="test")

        @rule(present=st.booleans())
        def membership(self, present):
            from ipex.directory.models import SharingGroupMember

            with nodes.on("a"):
                group = self.groups["g_fcs"]
                member = SharingGroupMember.objects.filter(group=group, organisation=self.fcs)
                if present and not member.exists():
                    directory.sharing_group_add_member(
                        actor=None, group=group, organisation=self.fcs
                    )
                elif not present and member.exists():
                    directory.sharing_group_remove_member(actor=None, member=member.get())

        @rule(
            at=st.integers(min_value=1, max_value=3),
            where=st.sampled_from(["prepare", "write_many"]),
        )
        def crashing_pull(self, at, where):
            """Killed while checking the at-th envelope, or while writing a page's rows."""
            from ipex.seizures.federation import SeizureType

            real, calls = getattr(SeizureType, where), []

            def crash(kind, *args, **kwargs):
                calls.append(1)
                if len(calls) == at:
                    raise RuntimeError("killed")
                return real(kind, *args, **kwargs)

            with nodes.on("b"), mock.patch.object(SeizureType, where, crash):
                a_node = Node.objects.get(uuid=nodes.a.node.uuid)
                try:
                    with transaction.atomic():
                        sync_partner(a_node)
                except RuntimeError:
                    pass

        @rule(pick=st.integers(min_value=0, max_value=50))
        def replay_an_old_envelope(self, pick):
            """A duplicated or reordered delivery: some version A disclosed earlier arrives
            at B again, out of turn."""
            from ipex.federation.apply import apply_batch
            from ipex.federation.models import ReplicaState

            with nodes.on("b"):
                held = dict(ReplicaState.objects.values_list("record_uuid", "version"))
            with nodes.on("a"):
                b = Node.objects.get(uuid=nodes.b.node.uuid)
                sent = list(
                    Disclosure.objects.filter(partner=b)
                    .select_related("change")
                    .order_by("change_id")
                )
                # Prefer a version older than the one B holds: the delivery most likely to
                # do harm if it were applied.
                stale = [d for d in sent if d.change.version < held.get(d.change.record_uuid, 0)]
                pool = stale or sent
                envelope = pool[pick % len(pool)].change.envelope if pool else None
            if envelope is not None:
                with nodes.on("b"):
                    apply_batch(Node.objects.get(uuid=nodes.a.node.uuid), [envelope], 0)

        @rule()
        def pull(self):
            self.pulls = getattr(self, "pulls", 0) + 1
            with nodes.on("b"):
                sync_partner(Node.objects.get(uuid=nodes.a.node.uuid))
            self.check_converged()

        def shared_with_b(self) -> dict:
            """What A currently shares with B, worked out here from the rules themselves (not
            from the outbox's code): public; the group with the whole of node B; the group
            with RU customs while it is a member. uuid → (version, place)."""
            from ipex.directory.models import SharingGroupMember

            with nodes.on("a"):
                fcs_in = SharingGroupMember.objects.filter(
                    group=self.groups["g_fcs"], organisation=self.fcs
                ).exists()
                reaching = {self.groups["g_node_b"].pk} | (
                    {self.groups["g_fcs"].pk} if fcs_in else set()
                )
                expected = {}
                for s in Seizure.objects.filter(origin_node__is_local=True, withdrawn_at=None):
                    if s.distribution == Distribution.PUBLIC or (
                        s.distribution == Distribution.GROUP and s.sharing_group_id in reaching
                    ):
                        expected[str(s.uuid)] = (s.version, s.place)
                return expected

        def held_by_b(self) -> dict:
            with nodes.on("b"):
                return {
                    str(s.uuid): (s.version, s.place)
                    for s in Seizure.objects.exclude(origin_node__is_local=True)
                }

        def check_converged(self):
            assert self.held_by_b() == self.shared_with_b()

        @invariant()
        def versions_never_go_back(self):
            """What B holds of a record only ever moves to a newer version (a replayed or
            late delivery never takes it back, nor brings back what a tombstone ended)."""
            from ipex.federation.models import ReplicaState

            seen = self.__dict__.setdefault("seen", {})
            with nodes.on("b"):
                for state in ReplicaState.objects.all():
                    key = str(state.record_uuid)
                    assert state.version >= seen.get(key, 0)
                    seen[key] = state.version

        @invariant()
        def no_leak(self):
            held = self.held_by_b()
            with nodes.on("a"):
                b = Node.objects.get(uuid=nodes.b.node.uuid)
                given = {
                    (str(d.change.record_uuid), d.change.version)
                    for d in Disclosure.objects.filter(partner=b, action="upsert").select_related(
                        "change"
                    )
                }
            for uuid, (version, _place) in held.items():
                assert (uuid, version) in given

        @invariant()
        def only_the_group_sees_replicas(self):
            from ipex.directory.models import User

            with nodes.on("b"):
                for replica in Seizure.objects.exclude(origin_node__is_local=True):
                    # A fresh user each time, as each request has (its visibility is cached).
                    outsider = User.objects.get(pk=nodes.b.outsider.pk)
                    outsider_sees = (
                        Seizure.objects.visible_to(outsider).filter(pk=replica.pk).exists()
                    )
                    reaches_all_of_b = replica.distribution == Distribution.PUBLIC or (
                        replica.sharing_group is not None
                        and replica.sharing_group.members.filter(node__is_local=True).exists()
                    )
                    assert outsider_sees == reaches_all_of_b

    return Exchange


def test_no_leak_convergence_and_no_resurrection(partnered):
    run_state_machine_as_test(
        machine_for(partnered),
        settings=settings(
            max_examples=8,
            stateful_step_count=16,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
