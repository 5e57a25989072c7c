"""A joint operation across two nodes, one database each: China (A) leads, Russia's customs
(B) takes part. B links its own seizure; A sees the combined figure, labelled with B's
organisation and how fresh it is; a summary a node may not send is refused; a participant
that leaves sends a tombstone; a partner offline keeps its last summary, marked stale."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ipex.cooperation import results, services
from ipex.cooperation.federation import ItemUpdateType, ResultSummaryType
from ipex.cooperation.models import JointOperation, Meeting, ResultSummary
from ipex.cooperation.services import links
from ipex.directory.shareable import Refused, org_ref
from ipex.federation.models import SyncState
from ipex.federation.sync import learn_organisations, sync_partner
from ipex.seizures.services import seizure_record
from tests.conftest import client_for

pytestmark = pytest.mark.django_db(databases=["default", "node_b"])
DVDS = [{"category": "audiovisual.dvd", "quantity": 800, "description": "DVD-5"}]


def pull(nodes, into: str):
    from ipex.directory.models import Node

    source = nodes.a if into == "b" else nodes.b
    with nodes.on(into):
        return sync_partner(Node.objects.get(uuid=source.node.uuid))


def know_each_other(nodes):
    from ipex.directory.models import Node

    for here, there in (("a", "b"), ("b", "a")):
        with nodes.on(here):
            learn_organisations(Node.objects.get(uuid=getattr(nodes, there).node.uuid))


@pytest.fixture
def joint(partnered):
    """On A: an operation of A's police and B's customs, pulled by B."""
    from ipex.directory.models import Organisation

    know_each_other(partnered)
    with partnered.on("a"):
        operation = services.operation_create(
            actor=partnered.a.officer,
            owner_org=partnered.a.own,
            participants=[Organisation.objects.get(code="RU-FCS")],
            title="CN–RU operation against disc exports",
            starts_on=dt.date(2013, 6, 1),
            ends_on=dt.date(2013, 9, 30),
        )
    pull(partnered, into="b")
    partnered.operation = operation
    return partnered


def seize_on_b(nodes, quantity=800):
    return seizure_record(
        actor=nodes.b.officer,
        owner_org=nodes.b.own,
        seized_on=dt.date(2013, 6, 7),
        jurisdiction=nodes.b.ru,
        method="customs_detention",
        items=[{**DVDS[0], "quantity": quantity}],
    )


def test_a_seizure_linked_on_b_raises_the_combined_figure_on_a(joint):
    with joint.on("b"):
        operation = JointOperation.objects.get(uuid=joint.operation.uuid)
        assert (
            client_for(joint.b.outsider)
            .get(f"/cooperation/joint-operations/{operation.uuid}/")
            .status_code
            == 404
        )  # the MVD does not take part
        seizure = seize_on_b(joint)
        links.operation_link(
            actor=joint.b.officer, operation=operation, kind="seizure", record=seizure
        )
    pull(joint, into="a")
    with joint.on("a"):
        combined = results.combined(JointOperation.objects.get(uuid=joint.operation.uuid))
        assert combined["total"] == {"detentions": 1, "items:audiovisual.dvd": 800, "seizures": 1}
        row = combined["organisations"][0]
        assert (row["organisation"], row["country"], row["stale"]) == ("RU-FCS", "RU", False)
        page = client_for(joint.a.officer).get(
            f"/cooperation/joint-operations/{joint.operation.uuid}/"
        )
        assert "RU-FCS" in page.content.decode() and "current" in page.content.decode()
        assert not ResultSummary.objects.get().sharing_group.origin_node.is_local
    with joint.on("b"):  # offline for a while: the last summary stays, marked stale
        links.operation_link(
            actor=joint.b.officer,
            operation=JointOperation.objects.get(uuid=joint.operation.uuid),
            kind="seizure",
            record=seize_on_b(joint, quantity=200),
        )
    with joint.on("a"):
        SyncState.objects.update(last_success_at=timezone.now() - dt.timedelta(days=2))
        combined = results.combined(JointOperation.objects.get(uuid=joint.operation.uuid))
        assert combined["organisations"][0]["stale"] and combined["total"]["seizures"] == 1
    pull(joint, into="a")  # back: it catches up
    with joint.on("a"):
        combined = results.combined(JointOperation.objects.get(uuid=joint.operation.uuid))
        assert not combined["organisations"][0]["stale"]
        assert combined["total"]["items:audiovisual.dvd"] == 1000


def test_a_participant_leaving_sends_a_tombstone_that_removes_its_figures(joint):
    with joint.on("b"):
        operation = JointOperation.objects.get(uuid=joint.operation.uuid)
        links.operation_link(
            actor=joint.b.officer, operation=operation, kind="seizure", record=seize_on_b(joint)
        )
    pull(joint, into="a")
    with joint.on("b"):
        links.operation_leave(actor=joint.b.officer, operation=operation, organisation=joint.b.own)
    pull(joint, into="a")
    with joint.on("a"):
        assert (
            results.combined(JointOperation.objects.get(uuid=joint.operation.uuid))["total"] == {}
        )
        assert not ResultSummary.objects.exists()


def a_meeting(nodes, *, owner):
    """On A: a video conference of A's police and B's customs, with one item for ``owner``."""
    from ipex.directory.models import Organisation

    return services.meeting_create(
        actor=nodes.a.officer,
        owner_org=nodes.a.own,
        participants=[Organisation.objects.get(code="RU-FCS")],
        title="Video conference",
        kind="bilateral",
        mode="video",
        starts_at=dt.datetime(2013, 7, 29, 2, tzinfo=dt.UTC),
        ends_at=dt.datetime(2013, 7, 29, 4, tzinfo=dt.UTC),
        items=[{"owner": owner, "text": "Send the list", "due_on": "2013-08-31"}],
    )


def _envelope(org, version=1):
    return {
        "owner": org_ref(org),
        "distribution": "group",
        "sharing_group": None,
        "version": version,
    }


def test_summaries_a_node_may_not_send_are_refused(joint):
    from ipex.directory.models import Node, Organisation

    with joint.on("a"):
        operation = JointOperation.objects.get(uuid=joint.operation.uuid)
        b_node = Node.objects.get(uuid=joint.b.node.uuid)
        kind = ResultSummaryType()

        def apply(org, computed_at, origin=b_node, uuid="00000000-0000-4000-8000-000000000001"):
            payload = {
                "operation": str(operation.uuid),
                "figures": {"seizures": 3},
                "computed_at": computed_at.isoformat(),
            }
            kind.apply(uuid, payload, _envelope(org), origin)

        now = timezone.now()
        with pytest.raises(Refused, match="does not take part"):
            apply(Organisation.objects.get(code="RU-MVD"), now)
        with pytest.raises(Refused, match="another node"):
            apply(joint.a.own, now)  # B speaking for A's police
        apply(Organisation.objects.get(code="RU-FCS"), now)
        with pytest.raises(Refused, match="older than the one held"):
            apply(Organisation.objects.get(code="RU-FCS"), now - dt.timedelta(minutes=5))
        assert ResultSummary.objects.get().figures == {"seizures": 3}


def test_a_status_update_from_a_node_that_does_not_own_the_item_is_refused(joint):
    from ipex.directory.models import Node, Organisation

    with joint.on("a"):
        meeting = a_meeting(joint, owner=joint.a.own)
        item = meeting.items.get()
        payload = {
            "meeting": str(meeting.uuid),
            "item": str(item.uuid),
            "status": "done",
            "note": "",
        }
        b_node = Node.objects.get(uuid=joint.b.node.uuid)
        with pytest.raises(Refused, match="does not own the item"):
            ItemUpdateType().apply(
                "00000000-0000-4000-8000-000000000002",
                payload,
                _envelope(Organisation.objects.get(code="RU-FCS")),
                b_node,
            )


def test_an_item_update_on_b_reaches_a(joint):
    from ipex.directory.models import Organisation

    with joint.on("a"):
        meeting = a_meeting(joint, owner=Organisation.objects.get(code="RU-FCS"))
    pull(joint, into="b")
    with joint.on("b"):
        item = Meeting.objects.get(uuid=meeting.uuid).items.get()
        services.item_update(actor=joint.b.officer, item=item, status="done")
    pull(joint, into="a")
    with joint.on("a"):
        item = Meeting.objects.get(uuid=meeting.uuid).items.get()
        assert services.item_status(item) == "done"
