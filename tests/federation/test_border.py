"""Customs protection across the border: a Chinese holder's recordation shared with Russian
customs reaches the RU node; a detention there notifies the holder through the CN node (a
notice sent back to the recordation's node); the holder's answer reaches RU and is applied
to the detention; the detention goes on as an alert to the customs at the route's other end."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core import mail

from ipex.border import services as border
from ipex.border.deadlines import seed_rules
from ipex.border.models import BorderNotice, DeadlineRule, Detention, Recordation
from ipex.core.errors import DomainError
from ipex.directory import services as directory
from ipex.directory.models import OrgKind, Role
from tests.conftest import client_for, make_user
from tests.federation.conftest import SYSTEM
from tests.federation.test_assistance import pull

pytestmark = pytest.mark.django_db(databases=["default", "node_b"])


def recorded_in_china(nodes) -> SimpleNamespace:
    """On A: Pearl River's audiovisual work recorded by China's customs, shared with a group
    of the holder's that names Russia's customs (node B)."""
    from ipex.directory.models import Node, Organisation
    from ipex.federation.sync import learn_organisations

    seed_rules(DeadlineRule)
    holder = directory.organisation_create(
        actor=SYSTEM,
        code="CN-PRAV",
        kind=OrgKind.RIGHTS_HOLDER,
        name_en="Pearl River Audio-Video",
        jurisdiction=nodes.a.gd,
    )
    rep = make_user("rep@prav.test", holder, Role.RIGHTS_HOLDER_REP)
    learn_organisations(Node.objects.get(uuid=nodes.b.node.uuid))
    group = directory.sharing_group_create(actor=SYSTEM, owner_org=holder, name="RU customs")
    directory.sharing_group_add_member(
        actor=SYSTEM, group=group, organisation=Organisation.objects.get(code="RU-FCS")
    )
    applied = border.recordation_apply(
        actor=rep,
        owner_org=holder,
        right_kind="copyright",
        work_title="Songs of the Pearl River",
        work_type="audiovisual",
        work_year=2011,
        work_owner="Pearl River Audio-Video Co.",
        goods="DVD discs",
        recognition="Hologram sticker on the spine",
        countries=["CN", "RU"],
        contacts=[{"name": "Li Wei", "email": "li@prav.test", "language": "zh-hans"}],
        distribution="group",
        sharing_group=group,
    )
    record = border.recordation_record(
        actor=nodes.a.outsider,  # an officer of China's customs (CN-GAC) on node A
        recordation=applied,
        number="GZ-2013-1",
        valid_from="2013-01-01",
        valid_until="2099-12-31",
    )
    return SimpleNamespace(holder=holder, rep=rep, record=record)


def detained_in_russia(nodes, cn) -> Detention:
    """On B: Russia's customs at Zabaikalsk detain discs under the replica of the recordation."""
    seed_rules(DeadlineRule)
    replica = Recordation.objects.get(uuid=cn.record.uuid)
    assert replica.is_replica and replica.number == "GZ-2013-1"
    assert not replica.contacts.exists() and not replica.photos.exists()
    return border.detention_record(
        actor=nodes.b.officer,
        owner_org=nodes.b.own,
        declaration_number="10612000-2013-0007",
        direction="import",
        place="Zabaikalsk rail crossing",
        route=["CN", "RU"],
        transport="rail",
        consignee="OOO Chita Media",
        lines=[{"description": "DVD discs", "category": "audiovisual.dvd", "quantity": 800}],
        recordations=[replica],
    )


def test_a_detention_in_russia_is_answered_by_the_chinese_holder(
    partnered, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with partnered.on("a"):
        cn = recorded_in_china(partnered)
    pull(partnered, into="b")
    with partnered.on("b"):
        detention = detained_in_russia(partnered, cn)
        assert detention.answer_by is not None and not detention.ex_officio
        notice = BorderNotice.objects.get(detention_uuid=detention.uuid)
        assert (
            client_for(partnered.b.officer).get(f"/border/detentions/{detention.uuid}/").status_code
            == 200
        )
    with django_capture_on_commit_callbacks(execute=True):
        pull(partnered, into="a")
    with partnered.on("a"):
        arrived = BorderNotice.objects.get(uuid=notice.uuid)
        assert arrived.is_replica and arrived.recordation == cn.record
        assert arrived.answer_by == detention.answer_by
        assert [m.to for m in mail.outbox] == [["li@prav.test"]]
        assert "10612000-2013-0007" in mail.outbox[0].body
        holder = client_for(cn.rep)
        page = holder.get(f"/border/notices/{notice.uuid}/").content.decode()
        assert "Zabaikalsk" in page and "OOO Chita Media" not in page  # no consignee sent
        listing = holder.get("/border/detentions/").content.decode()
        assert f"/border/notices/{notice.uuid}/" in listing
        assert (
            client_for(partnered.a.officer).get(f"/border/notices/{notice.uuid}/").status_code
            == 404
        )
        holder.post(
            f"/border/notices/{notice.uuid}/", {"kind": "confirm", "grounds": "No hologram"}
        )
        assert arrived.answers.get().kind == "confirm"
    pull(partnered, into="b")
    with partnered.on("b"):
        detention.refresh_from_db()
        assert detention.status == "confirmed"
        assert detention.answers.get().grounds == "No hologram"
        done = border.detention_close(
            actor=partnered.b.officer, detention=detention, outcome="seized"
        )
        assert done.seizure.items.get().quantity == 800


def test_a_second_answer_and_a_stranger_are_refused_on_the_holders_node(partnered):
    from ipex.core.errors import Conflict, Forbidden

    with partnered.on("a"):
        cn = recorded_in_china(partnered)
    pull(partnered, into="b")
    with partnered.on("b"):
        detention = detained_in_russia(partnered, cn)
    pull(partnered, into="a")
    with partnered.on("a"):
        notice = BorderNotice.objects.get(detention_uuid=detention.uuid)
        with pytest.raises(Forbidden):
            border.notice_answer(actor=partnered.a.officer, notice=notice, kind="release")
        with pytest.raises(DomainError) as beyond:
            border.notice_answer(actor=cn.rep, notice=notice, kind="extend", days=11)
        assert beyond.value.code == "beyond_rule"
        border.notice_answer(actor=cn.rep, notice=notice, kind="extend", days=5)
        border.notice_answer(actor=cn.rep, notice=notice, kind="release")
        with pytest.raises(Conflict):
            border.notice_answer(actor=cn.rep, notice=notice, kind="confirm", grounds="Late idea")
    pull(partnered, into="b")
    with partnered.on("b"):
        detention.refresh_from_db()
        assert detention.extended and detention.status == "release_asked"
    pull(partnered, into="a")
    with partnered.on("a"):
        notice.refresh_from_db()
        assert notice.answer_by == detention.answer_by  # the extended deadline came back


def test_a_detention_goes_on_as_an_alert_to_the_customs_at_the_other_end(partnered):
    from ipex.assistance.models import Alert
    from ipex.directory.models import Node, Organisation
    from ipex.federation.sync import learn_organisations

    with partnered.on("a"):
        cn = recorded_in_china(partnered)
    pull(partnered, into="b")
    with partnered.on("b"):
        detention = detained_in_russia(partnered, cn)
        learn_organisations(Node.objects.get(uuid=partnered.a.node.uuid))
        police = directory.sharing_group_create(
            actor=SYSTEM, owner_org=partnered.b.own, name="Guangdong police"
        )
        directory.sharing_group_add_member(
            actor=SYSTEM, group=police, organisation=Organisation.objects.get(code="CN-GD-PSD")
        )
        with pytest.raises(DomainError) as wrong:
            border.detention_alert(
                actor=partnered.b.officer, detention=detention, sharing_group=police
            )
        assert wrong.value.code == "not_the_other_end"
        group = directory.sharing_group_create(
            actor=SYSTEM, owner_org=partnered.b.own, name="China customs"
        )
        directory.sharing_group_add_member(
            actor=SYSTEM, group=group, organisation=Organisation.objects.get(code="CN-GAC")
        )
        page = client_for(partnered.b.officer).post(
            f"/border/detentions/{detention.uuid}/",
            {"step": "alert", "sharing_group": str(group.uuid)},
        )
        assert page.status_code == 302
        alert = Alert.objects.get()
        assert "Zabaikalsk" in alert.title and "OOO Chita Media" not in alert.body
        with pytest.raises(DomainError):  # the outsider may not send it on
            border.detention_alert(
                actor=partnered.b.outsider, detention=detention, sharing_group=group
            )
    pull(partnered, into="a")
    with partnered.on("a"):
        assert Alert.objects.visible_to(partnered.a.outsider).filter(uuid=alert.uuid).exists()
        assert not Alert.objects.visible_to(partnered.a.officer).filter(uuid=alert.uuid).exists()
