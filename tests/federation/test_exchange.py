"""Two nodes exchange exactly what the owners chose: partnership, the outbox, pulling,
replicas read-only and visible only to the group's members, tombstones."""

from __future__ import annotations

import datetime as dt

import pytest

from ipex.core.audit import Actor
from ipex.core.models import Distribution
from ipex.core.services import shared_record_share
from ipex.directory import services as directory
from ipex.federation.models import ChangeLog, Disclosure, Partner, ReplicaState
from ipex.federation.sync import sync_partner
from ipex.seizures.models import Seizure
from ipex.seizures.services import seizure_record, seizure_update, seizure_withdraw

pytestmark = pytest.mark.django_db(databases=["default", "node_b"])
SYSTEM = Actor.system("test")


def share_group(nodes, *, with_org: bool):
    """On A: a group with B's customs (an organisation) or with the whole of node B."""
    from ipex.directory.models import Node, Organisation
    from ipex.federation.sync import learn_organisations

    b_node = Node.objects.get(uuid=nodes.b.node.uuid)
    group = directory.sharing_group_create(actor=SYSTEM, owner_org=nodes.a.own, name="Disc network")
    if with_org:
        learn_organisations(b_node)
        directory.sharing_group_add_member(
            actor=SYSTEM, group=group, organisation=Organisation.objects.get(code="RU-FCS")
        )
    else:
        directory.sharing_group_add_member(actor=SYSTEM, group=group, node=b_node)
    return group


DVDS = [{"category": "audiovisual.dvd", "quantity": 1200, "description": "DVD-9"}]


def record(nodes, *, reference="GD-2013-0042", items=DVDS, seized_on=None, **kwargs):
    """On A (run as A): a seizure by A's officer, raided in Guangdong."""
    return seizure_record(
        actor=nodes.a.officer,
        owner_org=nodes.a.own,
        seized_on=seized_on or dt.date(2013, 5, 6),
        jurisdiction=nodes.a.gd,
        method="raid",
        reference=reference,
        items=items,
        **kwargs,
    )


def pull(nodes):
    from ipex.directory.models import Node

    with nodes.on("b"):
        return sync_partner(Node.objects.get(uuid=nodes.a.node.uuid))


def test_partnership_is_active_once_both_sides_approved(partnered):
    from ipex.directory.models import Node

    with partnered.on("a"):
        partner = Partner.objects.get(node__uuid=partnered.b.node.uuid)
        assert partner.approved_here_at and partner.approved_there_at is None
    pull(partnered)
    with partnered.on("b"):
        partner = Partner.objects.get(node=Node.objects.get(uuid=partnered.a.node.uuid))
        assert partner.is_active  # B asked A, signed, and A said yes


def test_a_group_record_reaches_the_group_only_and_is_read_only_there(partnered):
    with partnered.on("a"):
        group = share_group(partnered, with_org=True)
        shared = record(partnered, distribution=Distribution.GROUP, sharing_group=group)
        private = record(partnered, reference="GD-PRIVATE", distribution=Distribution.ORG)
        assert Disclosure.objects.filter(change__record_uuid=shared.uuid).count() == 1
        assert not ChangeLog.objects.filter(record_uuid=private.uuid).exists()
    outcome = pull(partnered)
    assert outcome.applied == 1 and outcome.quarantined == 0
    with partnered.on("b"):
        replica = Seizure.objects.get(uuid=shared.uuid)
        assert replica.is_replica and replica.owner_org.code == "CN-GD-PSD"
        assert [(i.category.code, i.quantity) for i in replica.items.all()] == [
            ("audiovisual.dvd", 1200)
        ]
        assert not Seizure.objects.filter(uuid=private.uuid).exists()
        # RU-FCS is in the group; RU-MVD is not.
        assert Seizure.objects.visible_to(partnered.b.officer).filter(pk=replica.pk).exists()
        assert not Seizure.objects.visible_to(partnered.b.outsider).filter(pk=replica.pk).exists()
        from ipex.core.errors import Forbidden

        with pytest.raises(Forbidden):
            seizure_update(actor=partnered.b.officer, seizure=replica, changes={"place": "Moscow"})


def test_a_change_arrives_as_a_new_version_and_withdrawal_as_a_tombstone(partnered):
    with partnered.on("a"):
        group = share_group(partnered, with_org=False)
        seizure = record(partnered, distribution=Distribution.GROUP, sharing_group=group)
    pull(partnered)
    with partnered.on("a"):
        seizure_update(actor=partnered.a.officer, seizure=seizure, place="Dock 4")
    assert pull(partnered).applied == 1
    with partnered.on("b"):
        assert Seizure.objects.get(uuid=seizure.uuid).place == "Dock 4"
    with partnered.on("a"):
        seizure.refresh_from_db()
        seizure_withdraw(actor=partnered.a.officer, seizure=seizure, reason="entered twice")
    assert pull(partnered).applied == 1
    with partnered.on("b"):
        assert not Seizure.objects.filter(uuid=seizure.uuid).exists()
        state = ReplicaState.objects.get(record_uuid=seizure.uuid)
        assert state.tombstone
    # Pulling again changes nothing.
    again = pull(partnered)
    assert again.applied == 0


def test_narrowing_a_record_sends_a_tombstone_to_the_node_that_lost_it(partnered):
    with partnered.on("a"):
        group = share_group(partnered, with_org=False)
        seizure = record(partnered, distribution=Distribution.GROUP, sharing_group=group)
    pull(partnered)
    with partnered.on("a"):
        seizure.refresh_from_db()
        shared_record_share(
            actor=partnered.a.officer, record=seizure, distribution=Distribution.ORG
        )
    pull(partnered)
    with partnered.on("b"):
        assert not Seizure.objects.filter(uuid=seizure.uuid).exists()


def test_a_case_travels_with_its_actions_but_not_its_persons(partnered):
    from ipex.cases import services as cases
    from ipex.cases.models import Case
    from tests.conftest import api_for, client_for

    with partnered.on("a"):
        group = share_group(partnered, with_org=True)
        case = cases.case_open(
            actor=partnered.a.officer,
            owner_org=partnered.a.own,
            kind="optical_disc_line",
            title="Line whose discs go to Russia",
        )
        cases.case_add_action(
            actor=partnered.a.officer, case=case, kind="raid", taken_on="2013-05-06"
        )
        cases.subject_link(
            actor=partnered.a.officer, case=case, kind="person", name="Chen Wei", role="suspect"
        )
        cases.subject_link(
            actor=partnered.a.officer,
            case=case,
            kind="production_line",
            name="Shajing line",
            role="operator",
            sid_code="IFPI L742",
        )
        # The liaison shares it with the group through the API.
        response = api_for(partnered.a.officer).post(
            f"/api/v1/cases/{case.uuid}/share",
            {"distribution": "group", "sharing_group": str(group.uuid)},
            format="json",
        )
        assert response.status_code == 200 and response.json()["distribution"] == "group"
    pull(partnered)
    with partnered.on("b"):
        replica = Case.objects.get(uuid=case.uuid)
        assert [a.kind for a in replica.actions.all()] == ["raid"]
        names = [link.subject.name for link in replica.subject_links.select_related("subject")]
        assert names == ["Shajing line"]  # the person stayed on node A
        page = client_for(partnered.b.officer).get(f"/cases/{case.uuid}/")
        assert page.status_code == 200
        text = page.content.decode()
        assert "A read-only copy shared by node Node A" in text and 'id="share"' not in text
        assert client_for(partnered.b.outsider).get(f"/cases/{case.uuid}/").status_code == 404
        refused = api_for(partnered.b.officer).post(f"/api/v1/cases/{case.uuid}/investigate")
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "read_only"
    with partnered.on("a"):
        assert "Chen Wei" not in str(ChangeLog.objects.get(record_uuid=case.uuid).envelope)


def test_node_administrators_see_partners_and_their_sync_state(partnered):
    from ipex.directory.models import Role
    from tests.conftest import client_for, make_user

    pull(partnered)
    with partnered.on("b"):
        admin = make_user("admin@b.test", partnered.b.own, Role.NODE_ADMIN)
        page = client_for(admin).get("/partners/")
        text = page.content.decode()
        assert page.status_code == 200 and "Node A" in text and "Active" in text
        assert client_for(partnered.b.officer).get("/partners/").status_code == 404


def test_a_membership_change_fans_out_tombstones_and_backfill(partnered):
    from ipex.directory.models import Node, SharingGroupMember

    with partnered.on("a"):
        group = share_group(partnered, with_org=False)
        seizure = record(partnered, distribution=Distribution.GROUP, sharing_group=group)
    pull(partnered)
    with partnered.on("a"):
        member = SharingGroupMember.objects.get(group=group, node__uuid=partnered.b.node.uuid)
        directory.sharing_group_remove_member(actor=SYSTEM, member=member)
    pull(partnered)
    with partnered.on("b"):
        assert not Seizure.objects.filter(uuid=seizure.uuid).exists()
    with partnered.on("a"):
        directory.sharing_group_add_member(
            actor=SYSTEM, group=group, node=Node.objects.get(uuid=partnered.b.node.uuid)
        )
    pull(partnered)
    with partnered.on("b"):
        assert Seizure.objects.filter(uuid=seizure.uuid).exists()


def test_the_doorbell_makes_the_partner_pull_at_once(partnered):
    from ipex.directory.models import Node
    from ipex.federation.sync import ring

    with partnered.on("a"):
        group = share_group(partnered, with_org=False)
        seizure = record(partnered, distribution=Distribution.GROUP, sharing_group=group)
        # After the commit the task worker rings B; here the ring is called directly.
        ring(Node.objects.get(uuid=partnered.b.node.uuid))
    with partnered.on("b"):
        assert Seizure.objects.filter(uuid=seizure.uuid).exists()
    with partnered.on("a"):  # the pull that ran freed the doorbell: the next ring pulls again
        later = record(
            partnered, reference="GD-LATER", distribution=Distribution.GROUP, sharing_group=group
        )
        ring(Node.objects.get(uuid=partnered.b.node.uuid))
    with partnered.on("b"):
        assert Seizure.objects.filter(uuid=later.uuid).exists()


def test_a_first_sync_takes_the_snapshot_then_the_changes(partnered):
    """Never pulled before: B gets the latest version of each record only (not every version
    A ever logged), then carries on from A's changes."""
    with partnered.on("a"):
        group = share_group(partnered, with_org=False)
        busy = record(partnered, distribution=Distribution.GROUP, sharing_group=group)
        for place in ("Dock 1", "Dock 2", "Dock 3"):
            busy.refresh_from_db()
            seizure_update(actor=partnered.a.officer, seizure=busy, place=place)
        quiet = record(
            partnered, reference="GD-QUIET", distribution=Distribution.GROUP, sharing_group=group
        )
        assert ChangeLog.objects.filter(record_uuid=busy.uuid).count() == 4
    first = pull(partnered)
    assert (first.applied, first.quarantined) == (2, 0)  # one version of each record
    with partnered.on("b"):
        assert Seizure.objects.get(uuid=busy.uuid).place == "Dock 3"
        assert Seizure.objects.filter(uuid=quiet.uuid).exists()
    with partnered.on("a"):
        quiet.refresh_from_db()
        seizure_update(actor=partnered.a.officer, seizure=quiet, place="Pier 9")
    assert pull(partnered).applied == 1
    with partnered.on("b"):
        assert Seizure.objects.get(uuid=quiet.uuid).place == "Pier 9"


def test_rings_before_the_pull_starts_make_one_pull(partnered, monkeypatch):
    """A burst of changes rings many times: one pull is queued until it starts; a ring after
    it started queues the next; a queued pull lost for five minutes is queued again."""
    import datetime as dt

    from django.utils import timezone

    from ipex.directory.models import Node
    from ipex.federation import tasks
    from ipex.federation.models import SyncState
    from ipex.federation.sync import ring

    queued = []
    from types import SimpleNamespace

    monkeypatch.setattr(tasks, "pull_partner", SimpleNamespace(enqueue=queued.append))
    with partnered.on("a"):
        b = Node.objects.get(uuid=partnered.b.node.uuid)
        for _ in range(3):
            ring(b)
    assert len(queued) == 1
    with partnered.on("b"):
        a = Node.objects.get(uuid=partnered.a.node.uuid)
        SyncState.objects.filter(partner=a).update(pull_queued_at=None)  # the pull started
    with partnered.on("a"):
        ring(b)
    assert len(queued) == 2
    with partnered.on("b"):
        lost = timezone.now() - dt.timedelta(minutes=6)
        SyncState.objects.filter(partner=a).update(pull_queued_at=lost)
    with partnered.on("a"):
        ring(b)
        ring(b)
    assert len(queued) == 3


def test_a_group_whose_members_change_back_within_a_page_ends_as_sent_last(partnered):
    """RU customs added to a group, then removed, all within what B pulls at once: B's copy
    of the group ends without it, so its officers do not see the group's records."""
    from ipex.directory.models import Node, Organisation, SharingGroupMember
    from ipex.federation.sync import learn_organisations

    with partnered.on("a"):
        learn_organisations(Node.objects.get(uuid=partnered.b.node.uuid))
        mvd = Organisation.objects.get(code="RU-MVD")
        fcs = Organisation.objects.get(code="RU-FCS")
        group = directory.sharing_group_create(
            actor=SYSTEM, owner_org=partnered.a.own, name="Police only"
        )
        directory.sharing_group_add_member(actor=SYSTEM, group=group, organisation=mvd)
        first = record(partnered, distribution=Distribution.GROUP, sharing_group=group)
    pull(partnered)  # B has pulled before: what follows comes as changes, in one page
    with partnered.on("a"):
        record(partnered, reference="GD-1", distribution=Distribution.GROUP, sharing_group=group)
        directory.sharing_group_add_member(actor=SYSTEM, group=group, organisation=fcs)
        record(partnered, reference="GD-2", distribution=Distribution.GROUP, sharing_group=group)
        directory.sharing_group_remove_member(
            actor=SYSTEM, member=SharingGroupMember.objects.get(group=group, organisation=fcs)
        )
        last = record(
            partnered, reference="GD-3", distribution=Distribution.GROUP, sharing_group=group
        )
    pull(partnered)
    with partnered.on("b"):
        replica_group = Seizure.objects.get(uuid=last.uuid).sharing_group
        assert sorted(m.organisation.code for m in replica_group.members.all()) == ["RU-MVD"]
        # RU customs (the officer of node B's own organisation) sees none of the records.
        seen = Seizure.objects.visible_to(partnered.b.officer)
        assert not seen.filter(uuid__in=[first.uuid, last.uuid]).exists()


def test_a_snapshot_a_record_at_a_time_skips_the_versions_it_supersedes(partnered):
    from ipex.directory.models import Node
    from ipex.federation.sync import sync_partner

    with partnered.on("a"):
        group = share_group(partnered, with_org=False)
        made = [
            record(
                partnered, reference=f"GD-{i}", distribution=Distribution.GROUP, sharing_group=group
            )
            for i in range(3)
        ]
        for seizure in (made[0], made[2], made[0]):  # later versions, interleaved
            seizure.refresh_from_db()
            seizure_update(actor=partnered.a.officer, seizure=seizure, place="Dock")
    with partnered.on("b"):
        outcome = sync_partner(Node.objects.get(uuid=partnered.a.node.uuid), page=1)
        assert (outcome.applied, outcome.older, outcome.quarantined) == (3, 0, 0)
        versions = dict(Seizure.objects.values_list("reference", "version"))
    assert versions == {"GD-0": 3, "GD-1": 1, "GD-2": 2}
