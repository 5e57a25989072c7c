"""Requests for assistance and alerts travel between the nodes: each side writes only its
own records (the request, the acknowledgement and the answer), and what is shared with a
group reaches its members only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ipex.assistance import services as assistance
from ipex.assistance.models import Alert, AssistanceRequest
from ipex.cases import services as cases
from ipex.core.errors import DomainError, Forbidden
from ipex.core.models import Distribution
from ipex.core.services import shared_record_share
from ipex.federation.sync import sync_partner
from tests.conftest import client_for
from tests.federation.test_exchange import share_group

pytestmark = pytest.mark.django_db(databases=["default", "node_b"])


def pull(nodes, into: str):
    from ipex.directory.models import Node

    source = nodes.a if into == "b" else nodes.b
    with nodes.on(into):
        return sync_partner(Node.objects.get(uuid=source.node.uuid))


def statuses(uuid) -> tuple[str, str]:
    """A request's status read on its own, and as a list reads it (annotated)."""
    one = AssistanceRequest.objects.get(uuid=uuid).status
    listed = AssistanceRequest.with_status(AssistanceRequest.objects.filter(uuid=uuid)).get()
    return one, listed.status


def test_a_request_on_a_shared_case_is_answered_across_the_border(partnered):
    from ipex.directory.models import Node, Organisation
    from ipex.federation.sync import learn_organisations

    with partnered.on("a"):
        group = share_group(partnered, with_org=True)
        case = cases.case_open(
            actor=partnered.a.officer,
            owner_org=partnered.a.own,
            kind="optical_disc_line",
            title="Line whose discs go to Russia",
        )
        shared_record_share(
            actor=partnered.a.officer, record=case, distribution="group", sharing_group=group
        )
        request = assistance.request_create(
            actor=partnered.a.officer,
            owner_org=partnered.a.own,
            recipient=Organisation.objects.get(code="RU-FCS"),
            subject="Buyers of the Shajing discs",
            body="Who received the shipments of May 2013?",
            case=case,
            sharing_group=group,
        )
    pull(partnered, into="b")
    with partnered.on("b"):
        learn_organisations(Node.objects.get(uuid=partnered.a.node.uuid))
        replica = AssistanceRequest.objects.get(uuid=request.uuid)
        assert replica.case.uuid == case.uuid and replica.status == "sent"
        officer = client_for(partnered.b.officer)
        page = officer.get(f"/assistance/{request.uuid}/")
        assert "Who received the shipments" in page.content.decode()
        assert (
            client_for(partnered.b.outsider).get(f"/assistance/{request.uuid}/").status_code == 404
        )
        assert client_for(partnered.b.outsider).get(f"/cases/{case.uuid}/").status_code == 404
        officer.post(f"/assistance/{request.uuid}/", {"step": "acknowledge"})
        assert statuses(request.uuid) == ("acknowledged", "acknowledged")
        assert "Acknowledged" in officer.get("/assistance/").content.decode()  # the list too
        officer.post(
            f"/assistance/{request.uuid}/",
            {"step": "answer", "body": "Two companies in Vladivostok; details attached."},
        )
        replica = AssistanceRequest.objects.get(uuid=request.uuid)
        assert statuses(request.uuid) == ("answered", "answered")
        with pytest.raises(Forbidden):
            assistance.request_close(actor=partnered.b.officer, request=replica)
    pull(partnered, into="a")
    with partnered.on("a"):
        mine = AssistanceRequest.objects.get(uuid=request.uuid)
        assert mine.status == "answered"
        page = client_for(partnered.a.officer).get(f"/assistance/{request.uuid}/")
        assert "Two companies in Vladivostok" in page.content.decode()
        assistance.request_close(actor=partnered.a.officer, request=mine)
    pull(partnered, into="b")
    with partnered.on("b"):
        assert AssistanceRequest.objects.get(uuid=request.uuid).status == "closed"


def test_only_the_asked_side_answers_and_bad_requests_are_refused(partnered):
    from ipex.directory.models import Organisation

    with partnered.on("a"):
        with pytest.raises(DomainError) as refused:
            assistance.request_create(
                actor=partnered.a.officer,
                owner_org=partnered.a.own,
                recipient=partnered.a.other,  # not a partner's organisation
                subject="",
                body="",
            )
        assert set(refused.value.fields) == {"subject", "body", "recipient"}
        share_group(partnered, with_org=True)
        request = assistance.request_create(
            actor=partnered.a.officer,
            owner_org=partnered.a.own,
            recipient=Organisation.objects.get(code="RU-FCS"),
            subject="Question",
            body="?",
        )
        with pytest.raises(Forbidden):
            assistance.request_message(
                actor=partnered.a.officer, request=request, kind="answer", body="self-answer"
            )


def test_an_alert_reaches_the_group_and_nobody_else(partnered):
    from ipex.directory import services as directory
    from ipex.directory.models import Node, Organisation
    from ipex.federation.sync import learn_organisations

    with partnered.on("b"):
        learn_organisations(Node.objects.get(uuid=partnered.a.node.uuid))
        group = directory.sharing_group_create(
            actor=None, owner_org=partnered.b.own, name="Customs and GD police"
        )
        directory.sharing_group_add_member(
            actor=None, group=group, organisation=Organisation.objects.get(code="CN-GD-PSD")
        )
        alert = assistance.alert_create(
            actor=partnered.b.officer,
            owner_org=partnered.b.own,
            title="Container of pirated discs leaving Vladivostok",
            body="40-foot container, bill of lading VLD-2013-118.",
            priority="high",
            expires_on=timezone.localdate() + dt.timedelta(days=30),
            distribution=Distribution.GROUP,
            sharing_group=group,
        )
        with pytest.raises(DomainError):
            assistance.alert_create(
                actor=partnered.b.officer,
                owner_org=partnered.b.own,
                title="x",
                body="y",
                priority="high",
                expires_on="2000-01-01",
            )
    pull(partnered, into="a")
    with partnered.on("a"):
        replica = Alert.objects.get(uuid=alert.uuid)
        assert Alert.objects.visible_to(partnered.a.officer).filter(pk=replica.pk).exists()
        assert not Alert.objects.visible_to(partnered.a.outsider).filter(pk=replica.pk).exists()
        page = client_for(partnered.a.officer).get("/alerts/")
        assert "Container of pirated discs" in page.content.decode()


def test_requests_and_alerts_through_the_api(partnered):
    from ipex.directory.models import Organisation
    from tests.conftest import api_for

    with partnered.on("a"):
        share_group(partnered, with_org=True)
        api = api_for(partnered.a.officer)
        created = api.post(
            "/api/v1/assistance-requests",
            {
                "owner_org": "CN-GD-PSD",
                "recipient": "RU-FCS",
                "subject": "Buyers",
                "body": "Who bought the discs?",
            },
            format="json",
        )
        assert created.status_code == 201 and created.json()["status"] == "sent"
        bad = api.post(
            "/api/v1/assistance-requests",
            {"owner_org": "CN-GD-PSD", "recipient": "CN-GAC", "subject": "x", "body": "y"},
            format="json",
        )
        assert bad.status_code == 400
        assert bad.json()["error"]["fields"]["recipient"] == [
            "Choose an organisation of a partner node."
        ]
        uuid = created.json()["uuid"]
        assert Organisation.objects.get(code="RU-FCS").origin_node.uuid == partnered.b.node.uuid
    pull(partnered, into="b")
    with partnered.on("b"):
        api = api_for(partnered.b.officer)
        answered = api.post(
            f"/api/v1/assistance-requests/{uuid}/messages",
            {"kind": "answer", "body": "Two firms in Vladivostok"},
            format="json",
        )
        assert answered.status_code == 200 and answered.json()["status"] == "answered"
        assert (
            api_for(partnered.b.outsider).get(f"/api/v1/assistance-requests/{uuid}").status_code
            == 404
        )
        closing = api.post(f"/api/v1/assistance-requests/{uuid}/close")
        assert closing.status_code == 403 and closing.json()["error"]["code"] == "read_only"
    pull(partnered, into="a")
    with partnered.on("a"):
        detail = api_for(partnered.a.officer).get(f"/api/v1/assistance-requests/{uuid}").json()
        assert [m["body"] for m in detail["messages"]] == ["Two firms in Vladivostok"]


def test_the_api_list_reads_statuses_and_messages_with_the_page(partnered):
    """The list of requests asks the database the same number of times for one request as for
    four, and says of each what its own page says."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ipex.directory.models import Organisation
    from tests.conftest import api_for

    with partnered.on("a"):
        share_group(partnered, with_org=True)
        officer = partnered.a.officer
        api = api_for(officer)

        def ask(number):
            item = assistance.request_create(
                actor=officer,
                owner_org=partnered.a.own,
                recipient=Organisation.objects.get(code="RU-FCS"),
                subject=f"Buyers {number}",
                body="Who bought the discs?",
            )
            assistance.request_message(actor=officer, request=item, kind="message", body="Soon?")

        def listed():
            with CaptureQueriesContext(connection) as queries:
                rows = api.get("/api/v1/assistance-requests").json()["results"]
            return rows, len(queries)

        ask(1)
        listed()  # the first call also reads what is kept for the next ones (the user's groups)
        one, queries_for_one = listed()
        for number in (2, 3, 4):
            ask(number)
        four, queries_for_four = listed()
        assert len(one) == 1 and len(four) == 4
        assert queries_for_four == queries_for_one
        for row in four:
            detail = api.get(f"/api/v1/assistance-requests/{row['uuid']}").json()
            assert row["status"] == detail["status"] == "sent"
            assert row["messages"] == detail["messages"]
            assert [m["body"] for m in row["messages"]] == ["Soon?"]
