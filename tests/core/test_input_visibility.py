"""The visibility matrix, extended to inputs (issue 12, the door for inputs): every endpoint
that takes a reference answers a record the caller may not see exactly as it answers a random
uuid (or code) and a malformed one — same status, same error body — and writes nothing.

A guard walks the API's request serializers so a new endpoint cannot forget the door."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework import serializers

from ipex.assistance.models import Alert, AssistanceRequest
from ipex.campaigns import services as campaign_services
from ipex.campaigns.models import Campaign
from ipex.cases import services as cases
from ipex.cases.models import Case, CaseAction, Subject
from ipex.cooperation import services as cooperation
from ipex.core.api import VisibleRelatedField
from ipex.core.models import AuditEntry, Distribution
from ipex.directory import services as directory
from ipex.directory.models import (
    Jurisdiction,
    Membership,
    Organisation,
    OrgKind,
    SharingGroup,
    SharingGroupMember,
    User,
)
from ipex.seizures import services as seizures
from ipex.seizures.models import PeriodReport, Seizure
from tests.conftest import SYSTEM, api_for, client_for

MALFORMED = "not a uuid!"


@pytest.fixture
def world(people, orgs, areas, group):
    """What the Bao'an officer (the caller) owns, and records of Zhejiang he cannot see."""
    day = dt.date(2012, 3, 14)
    items = [{"category": "books", "quantity": 30}]

    def seizure(owner, who, where):
        return seizures.seizure_record(
            actor=who,
            owner_org=owner,
            seized_on=day,
            jurisdiction=where,
            method="raid",
            items=items,
        )

    def case(owner, who, title):
        return cases.case_open(actor=who, owner_org=owner, kind="online", title=title)

    own_case = case(orgs.ba, people.owner, "Streaming site")
    their_case = case(orgs.zj, people.colleague, "Hangzhou market")
    own_subject = cases.subject_link(
        actor=people.owner, case=own_case, kind="website", name="dvd.example", role="operator"
    )
    their_subject = cases.subject_link(
        actor=people.colleague, case=their_case, kind="shop", name="Stall 9", role="operator"
    )
    their_campaign = campaign_services.campaign_create(
        actor=SYSTEM,
        owner_org=orgs.zj,
        name_en="Zhejiang autumn sweep",
        starts_on=day,
        ends_on=day + dt.timedelta(days=90),
        distribution=Distribution.ORG,
    )
    closed = directory.organisation_create(
        actor=SYSTEM,
        code="CN-GD-OLD",
        kind=OrgKind.COPYRIGHT_ADMIN,
        name_en="Dissolved bureau",
        jurisdiction=areas.gd,
    )
    directory.organisation_update(actor=people.admin, organisation=closed, is_active=False)
    return SimpleNamespace(
        people=people,
        orgs=orgs,
        areas=areas,
        group=group,  # the Guangdong task force: the Bao'an officer does not see it
        own_seizure=seizure(orgs.ba, people.owner, areas.ba),
        their_seizure=seizure(orgs.zj, people.colleague, areas.zj),
        own_case=own_case,
        their_case=their_case,
        own_subject=own_subject,
        their_subject=their_subject,
        their_campaign=their_campaign,
        closed=closed,  # an inactive organisation: only node administrators see it
        own_operation=cooperation.operation_create(
            actor=people.owner,
            owner_org=orgs.ba,
            participants=[orgs.foreign],
            title="Disc exports",
            starts_on=day,
            ends_on=day + dt.timedelta(days=90),
        ),
    )


def written(w) -> tuple:
    """Everything an input could write: rows, versions, links and the audit log."""
    counted = [
        Seizure,
        Case,
        CaseAction,
        Subject,
        Campaign,
        Alert,
        AssistanceRequest,
        PeriodReport,
        Organisation,
        Jurisdiction,
        User,
        Membership,
        SharingGroup,
        SharingGroupMember,
        AuditEntry,
    ]
    versions = [
        (m.pk, m.version, m.distribution, m.sharing_group_id, m.jurisdiction_id, m.campaign_id)
        for m in Seizure.objects.order_by("pk")
    ] + [
        (c.pk, c.version, c.distribution, c.sharing_group_id, c.campaign_id)
        for c in Case.objects.order_by("pk")
    ]
    return (
        [m.objects.count() for m in counted],
        versions,
        list(w.own_case.seizures.values_list("pk", flat=True)),
        list(Organisation.objects.values_list("code", "jurisdiction_id", "is_active")),
    )


@dataclass
class Door:
    """One input that names a record."""

    endpoint: str
    field: str
    persona: str
    body: Callable  # (world, value) -> request body
    hidden: Callable | None  # (world) -> a reference that exists but the persona cannot use
    random: str  # a reference that does not exist
    message: str
    method: str = "post"
    multipart: bool = False
    url: Callable | None = None  # (world) -> url, when it names a record

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.endpoint} {self.field}"


def uuid_of(name):
    return lambda w: str(getattr(w, name).uuid)


CODE = "XX-NOPE"
RANDOM = "6a0f3c8e-6f7b-4d4e-9a55-2b1f0c9d1e77"
SEIZURE = {
    "owner_org": "CN-GD-BA-CB",
    "seized_on": "2012-03-14",
    "jurisdiction": "CN-GD-SZ-BA",
    "method": "raid",
    "items": [{"category": "books", "quantity": 30}],
}
CASE = {"owner_org": "CN-GD-BA-CB", "kind": "online", "title": "Streaming site"}
ALERT = {
    "owner_org": "CN-GD-BA-CB",
    "title": "Container",
    "body": "Due on Monday.",
    "priority": "high",
    "expires_on": "2099-01-01",
}
REQUEST = {"owner_org": "CN-GD-BA-CB", "recipient": "RU-FCS", "subject": "Buyers", "body": "Who?"}
OPERATION = {
    "owner_org": "CN-GD-BA-CB",
    "participants": ["RU-FCS"],
    "title": "Disc exports",
    "starts_on": "2013-06-01",
    "ends_on": "2013-09-30",
}
MEETING = {
    "owner_org": "CN-GD-BA-CB",
    "participants": ["RU-FCS"],
    "title": "Video conference",
    "kind": "bilateral",
    "mode": "video",
    "starts_at": "2013-07-29T10:00:00+08:00",
    "ends_at": "2013-07-29T12:00:00+08:00",
    "time_zone": "Asia/Shanghai",
}
AGREEMENT = {
    "owner_org": "CN-GD-BA-CB",
    "parties": ["RU-FCS"],
    "title": "Memorandum",
    "kind": "memorandum",
    "signed_on": "2013-07-29",
    "starts_on": "2013-08-01",
}
GROUP = "Unknown sharing group."
ORG = "Unknown organisation."


def closed_code(w):
    return w.closed.code


API_DOORS = [
    # seizures
    Door("/api/v1/seizures", "owner_org", "owner", lambda w, v: SEIZURE | {"owner_org": v},
         closed_code, CODE, ORG),
    Door("/api/v1/seizures", "jurisdiction", "owner", lambda w, v: SEIZURE | {"jurisdiction": v},
         None, CODE, "Unknown jurisdiction."),
    Door("/api/v1/seizures", "sharing_group", "owner",
         lambda w, v: SEIZURE | {"distribution": "group", "sharing_group": v},
         uuid_of("group"), RANDOM, GROUP),
    Door("/api/v1/seizures", "campaign", "owner", lambda w, v: SEIZURE | {"campaign": v},
         uuid_of("their_campaign"), RANDOM, "Unknown special action."),
    Door("/api/v1/seizures/{uuid}", "campaign", "owner", lambda w, v: {"campaign": v},
         uuid_of("their_campaign"), RANDOM, "Unknown special action.", method="patch",
         url=uuid_of("own_seizure")),
    Door("/api/v1/seizures/{uuid}", "jurisdiction", "owner", lambda w, v: {"jurisdiction": v},
         None, CODE, "Unknown jurisdiction.", method="patch", url=uuid_of("own_seizure")),
    Door("/api/v1/seizures/{uuid}/share", "sharing_group", "owner",
         lambda w, v: {"distribution": "group", "sharing_group": v},
         uuid_of("group"), RANDOM, GROUP, url=uuid_of("own_seizure")),
    Door("/api/v1/seizures/imports", "owner_org", "owner",
         lambda w, v: {"owner_org": v,
                       "file": SimpleUploadedFile("s.csv", b"date,category,quantity\n")},
         closed_code, CODE, ORG, multipart=True),
    Door("/api/v1/reports", "owner_org", "owner",
         lambda w, v: {"owner_org": v, "period_kind": "year", "year": 2012},
         closed_code, CODE, ORG),
    # cases
    Door("/api/v1/cases", "owner_org", "owner", lambda w, v: CASE | {"owner_org": v},
         closed_code, CODE, ORG),
    Door("/api/v1/cases", "campaign", "owner", lambda w, v: CASE | {"campaign": v},
         uuid_of("their_campaign"), RANDOM, "Unknown special action."),
    Door("/api/v1/cases", "sharing_group", "owner",
         lambda w, v: CASE | {"distribution": "group", "sharing_group": v},
         uuid_of("group"), RANDOM, GROUP),
    Door("/api/v1/cases/{uuid}/share", "sharing_group", "owner",
         lambda w, v: {"distribution": "group", "sharing_group": v},
         uuid_of("group"), RANDOM, GROUP, url=uuid_of("own_case")),
    Door("/api/v1/cases/{uuid}/seizures", "seizure", "owner", lambda w, v: {"seizure": v},
         uuid_of("their_seizure"), RANDOM, "Unknown seizure.", url=uuid_of("own_case")),
    Door("/api/v1/cases/{uuid}/actions", "provision", "owner",
         lambda w, v: {"kind": "administrative_fine", "taken_on": "2012-04-01", "provision": v},
         None, CODE, "Unknown legal provision.", url=uuid_of("own_case")),
    Door("/api/v1/subjects/{uuid}/merge", "duplicate", "owner", lambda w, v: {"duplicate": v},
         uuid_of("their_subject"), RANDOM, "Unknown subject.", url=uuid_of("own_subject")),
    # alerts and requests for assistance
    Door("/api/v1/alerts", "owner_org", "owner", lambda w, v: ALERT | {"owner_org": v},
         closed_code, CODE, ORG),
    Door("/api/v1/alerts", "sharing_group", "owner",
         lambda w, v: ALERT | {"distribution": "group", "sharing_group": v},
         uuid_of("group"), RANDOM, GROUP),
    Door("/api/v1/assistance-requests", "recipient", "owner",
         lambda w, v: REQUEST | {"recipient": v}, closed_code, CODE, ORG),
    Door("/api/v1/assistance-requests", "case", "owner", lambda w, v: REQUEST | {"case": v},
         uuid_of("their_case"), RANDOM, "Unknown case."),
    Door("/api/v1/assistance-requests", "sharing_group", "owner",
         lambda w, v: REQUEST | {"sharing_group": v}, uuid_of("group"), RANDOM, GROUP),
    # cooperation
    Door("/api/v1/joint-operations", "owner_org", "owner",
         lambda w, v: OPERATION | {"owner_org": v}, closed_code, CODE, ORG),
    Door("/api/v1/joint-operations/{uuid}/link", "seizure", "owner", lambda w, v: {"seizure": v},
         uuid_of("their_seizure"), RANDOM, "Unknown seizure.", url=uuid_of("own_operation")),
    Door("/api/v1/joint-operations/{uuid}/link", "case", "owner", lambda w, v: {"case": v},
         uuid_of("their_case"), RANDOM, "Unknown case.", url=uuid_of("own_operation")),
    Door("/api/v1/joint-operations/{uuid}/leave", "organisation", "owner",
         lambda w, v: {"organisation": v}, closed_code, CODE, ORG, url=uuid_of("own_operation")),
    Door("/api/v1/meetings", "owner_org", "owner", lambda w, v: MEETING | {"owner_org": v},
         closed_code, CODE, ORG),
    Door("/api/v1/agreements", "owner_org", "owner", lambda w, v: AGREEMENT | {"owner_org": v},
         closed_code, CODE, ORG),
    # directory (node administrators see every organisation: nothing is hidden from them)
    Door("/api/v1/jurisdictions", "parent", "admin",
         lambda w, v: {"code": "CN-GD-ZZ", "level": "city", "name_en": "Z", "parent": v},
         None, CODE, "Unknown jurisdiction."),
    Door("/api/v1/organisations", "jurisdiction", "admin",
         lambda w, v: {"code": "CN-NEW", "kind": "police", "name_en": "N", "jurisdiction": v},
         None, CODE, "Unknown jurisdiction."),
    Door("/api/v1/organisations", "supervisor", "admin",
         lambda w, v: {"code": "CN-NEW", "kind": "police", "name_en": "N",
                       "jurisdiction": "CN", "supervisor": v},
         None, CODE, ORG),
    Door("/api/v1/organisations/{uuid}", "jurisdiction", "admin",
         lambda w, v: {"jurisdiction": v}, None, CODE, "Unknown jurisdiction.",
         method="patch", url=lambda w: str(w.orgs.ba.uuid)),
    Door("/api/v1/users", "organisation", "admin",
         lambda w, v: {"email": "new@ba.test", "organisation": v, "role": "officer"},
         None, CODE, ORG),
    Door("/api/v1/users/{uuid}/roles", "organisation", "admin",
         lambda w, v: {"organisation": v, "role": "officer"}, None, CODE, ORG,
         url=lambda w: str(w.people.owner.uuid)),
    Door("/api/v1/sharing-groups", "owner_org", "supervisor",
         lambda w, v: {"name": "New group", "owner_org": v}, closed_code, CODE, ORG),
    Door("/api/v1/sharing-groups/{uuid}/members", "organisation", "supervisor",
         lambda w, v: {"organisation": v}, closed_code, CODE, ORG,
         url=uuid_of("group")),
    Door("/api/v1/sharing-groups/{uuid}/members", "node", "supervisor",
         lambda w, v: {"node": v}, None, RANDOM, "Unknown node.", url=uuid_of("group")),
]  # fmt: skip


def _url(door, w):
    return door.endpoint.replace("{uuid}", door.url(w)) if door.url else door.endpoint


def _answer(door, w, value):
    client = api_for(getattr(w.people, door.persona))
    body = door.body(w, value)
    if door.multipart:
        response = getattr(client, door.method)(_url(door, w), body, format="multipart")
    else:
        response = getattr(client, door.method)(_url(door, w), body, format="json")
    return response.status_code, response.json()


@pytest.mark.parametrize("door", API_DOORS, ids=lambda d: d.id)
def test_api_answers_hidden_random_and_malformed_alike_and_writes_nothing(world, door):
    before = written(world)
    values = [door.random, MALFORMED] + ([door.hidden(world)] if door.hidden else [])
    answers = [_answer(door, world, value) for value in values]
    assert answers[0] == (
        400,
        {
            "error": {
                "code": "invalid",
                "message": "Please correct the errors below.",
                "fields": {door.field: [door.message]},
            }
        },
    )
    assert all(answer == answers[0] for answer in answers), answers
    assert written(world) == before


CAMPAIGN = {
    "owner_org": "CN-GD-CB",
    "name_en": "Autumn sweep",
    "starts_on": "2012-09-01",
    "ends_on": "2012-12-31",
}


@pytest.mark.parametrize(
    ("field", "body"),
    [
        ("owner_org", lambda v: CAMPAIGN | {"owner_org": v}),
        ("participants", lambda v: CAMPAIGN | {"participants": [v]}),
    ],
)
def test_campaign_inputs_answer_hidden_and_random_alike(world, field, body):
    client = api_for(world.people.supervisor)
    before = written(world)
    answers = []
    for value in (CODE, world.closed.code):
        response = client.post("/api/v1/campaigns", body(value), format="json")
        answers.append((response.status_code, response.json()))
    assert answers[0] == answers[1]
    assert written(world) == before


def test_a_visible_reference_still_works(world):
    """The door opens for what the caller may see: the matrix above refuses for the right
    reason."""
    client = api_for(world.people.owner)
    linked = client.post(
        f"/api/v1/cases/{world.own_case.uuid}/seizures",
        {"seizure": str(world.own_seizure.uuid)},
        format="json",
    )
    assert linked.status_code == 200, linked.content
    assert list(world.own_case.seizures.all()) == [world.own_seizure]


def test_the_unknown_message_is_translatable(world):
    """The message goes through gettext with the thing's (translated) name; in Chinese the
    body keeps its shape. Its translation is left to the catalogue (the lead)."""
    from django.utils import translation

    client = api_for(world.people.owner)
    body = CASE | {"distribution": "group", "sharing_group": str(world.group.uuid)}
    response = client.post("/api/v1/cases", body, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == ["sharing_group"]
    with translation.override("zh-hans"):
        expected = translation.gettext("Unknown %(thing)s.") % {
            "thing": translation.gettext("sharing group")
        }
    assert error["fields"]["sharing_group"] == [expected]
    english = client.post("/api/v1/cases", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["error"]["fields"]["sharing_group"] == [GROUP]


# ---------------------------------------------------------------- HTML forms


def field_errors(html: str, field: str) -> list[str]:
    match = re.search(rf'<ul class="errorlist" id="id_{field}_errors">(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", match.group(1), re.S) if match else []


SEIZURE_FORM = {
    "owner_org": "CN-GD-BA-CB",
    "seized_on": "2012-03-14",
    "jurisdiction": "CN-GD-SZ-BA",
    "method": "raid",
    "distribution": "org",
    "item-category": "books",
    "item-quantity": "30",
}
CASE_FORM = {"owner_org": "CN-GD-BA-CB", "kind": "online", "title": "T", "distribution": "org"}
ALERT_FORM = ALERT | {"distribution": "group"}

FORM_DOORS = [
    ("/seizures/new", "sharing_group", lambda w, v: SEIZURE_FORM
     | {"distribution": "group", "sharing_group": v}, uuid_of("group"), RANDOM, GROUP),
    ("/seizures/new", "campaign", lambda w, v: SEIZURE_FORM | {"campaign": v},
     uuid_of("their_campaign"), RANDOM, "Unknown special action."),
    ("/seizures/new", "owner_org", lambda w, v: SEIZURE_FORM | {"owner_org": v},
     lambda w: w.orgs.zj.code, CODE, ORG),
    ("/seizures/{own_seizure}/edit", "campaign", lambda w, v: SEIZURE_FORM | {"campaign": v},
     uuid_of("their_campaign"), RANDOM, "Unknown special action."),
    ("/seizures/import", "owner_org", lambda w, v: {
        "owner_org": v, "file": SimpleUploadedFile("s.csv", b"date,category,quantity\n")},
     lambda w: w.orgs.zj.code, CODE, ORG),
    ("/reports/new", "owner_org", lambda w, v: {
        "owner_org": v, "period_kind": "year", "year": "2012", "number": "0"},
     lambda w: w.orgs.zj.code, CODE, ORG),
    ("/cases/new", "sharing_group", lambda w, v: CASE_FORM
     | {"distribution": "group", "sharing_group": v}, uuid_of("group"), RANDOM, GROUP),
    ("/cases/new", "campaign", lambda w, v: CASE_FORM | {"campaign": v},
     uuid_of("their_campaign"), RANDOM, "Unknown special action."),
    ("/alerts/new", "sharing_group", lambda w, v: ALERT_FORM | {"sharing_group": v},
     uuid_of("group"), RANDOM, GROUP),
    ("/assistance/new", "case", lambda w, v: REQUEST | {"case": v},
     uuid_of("their_case"), RANDOM, "Unknown case."),
    ("/assistance/new", "sharing_group", lambda w, v: REQUEST | {"sharing_group": v},
     uuid_of("group"), RANDOM, GROUP),
]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "field", "body", "hidden", "random", "message"),
    FORM_DOORS,
    ids=[f"{d[0]} {d[1]}" for d in FORM_DOORS],
)
def test_forms_answer_hidden_random_and_malformed_alike_and_write_nothing(
    world, path, field, body, hidden, random, message
):
    client = client_for(world.people.owner)
    url = path.replace("{own_seizure}", str(world.own_seizure.uuid))
    before = written(world)
    answers = []
    for value in (random, MALFORMED, hidden(world)):
        response = client.post(url, body(world, value))
        answers.append((response.status_code, field_errors(response.content.decode(), field)))
    assert answers[0] == (200, [message])
    assert all(answer == answers[0] for answer in answers), answers
    assert written(world) == before


@pytest.mark.parametrize("kind", ["seizure", "case"])
def test_share_page_answers_hidden_random_and_malformed_alike(world, kind):
    record = world.own_seizure if kind == "seizure" else world.own_case
    before = written(world)
    answers = []
    for value in (RANDOM, MALFORMED, str(world.group.uuid)):
        response = client_for(world.people.owner).post(
            f"/share/{kind}/{record.uuid}", {"distribution": "group", "sharing_group": value}
        )
        answers.append(
            (response.status_code, [str(m) for m in get_messages(response.wsgi_request)])
        )
    assert answers[0] == (302, [GROUP])
    assert all(answer == answers[0] for answer in answers), answers
    assert written(world) == before


def test_share_page_ignores_the_group_list_for_another_level(world):
    """The page's group list keeps its choice when the officer picks another level."""
    client = client_for(world.people.owner)
    response = client.post(
        f"/share/case/{world.own_case.uuid}",
        {"distribution": "node", "sharing_group": str(world.group.uuid)},
    )
    assert response.status_code == 302
    world.own_case.refresh_from_db()
    assert world.own_case.distribution == Distribution.NODE
    assert world.own_case.sharing_group is None


# ---------------------------------------------------------------- the guard

# Writable inputs that name a record without a VisibleRelatedField, each with its reason.
NOT_A_DOOR = {
    ("ItemSerializer", "category"): "a public vocabulary, resolved per line by code in the "
    "service with the line's errors (valid on the seizure's date)",
    ("TipInSerializer", "jurisdiction"): "the public tip form: a public vocabulary, by code",
    ("TaskInSerializer", "assignee"): "an e-mail address among the members of the case's "
    "organisation, resolved in the view",
    ("TargetInSerializer", "category"): "a top category code (books, audiovisual …): a public "
    "vocabulary, checked by the service",
    ("DetentionLineInSerializer", "category"): "a category code of the public vocabulary, "
    "checked per line by the service with the line's errors",
}
RECORD_NAMES = {
    "owner_org", "sharing_group", "campaign", "case", "seizure", "duplicate", "duplicate_of",
    "recipient", "jurisdiction", "parent", "supervisor", "organisation", "node", "provision",
    "category", "assignee", "participants", "tip", "subject_uuid", "report", "group", "user",
}  # fmt: skip


def _request_serializers():
    from drf_spectacular.generators import SchemaGenerator

    generator = SchemaGenerator(urlconf="ipex.urls")
    generator._initialise_endpoints()
    for path, path_regex, method, callback in generator.endpoints:
        if method not in ("POST", "PUT", "PATCH", "DELETE"):
            continue
        view = generator.create_view(callback, method)
        view.schema.path, view.schema.path_regex, view.schema.method = path, path_regex, method
        found = view.schema.get_request_serializer()
        for serializer in found.values() if isinstance(found, dict) else [found]:
            if serializer is not None:
                yield f"{method} {path}", serializer


def _writable_fields(serializer, prefix=""):
    serializer = serializer() if isinstance(serializer, type) else serializer
    if isinstance(serializer, serializers.ListSerializer):
        serializer = serializer.child
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        yield type(serializer).__name__, name, field
        if isinstance(field, serializers.BaseSerializer):
            yield from _writable_fields(field)


def _door_problems():
    problems = []
    for operation, serializer in _request_serializers():
        for owner, name, field in _writable_fields(serializer):
            related = (
                field.child_relation if isinstance(field, serializers.ManyRelatedField) else field
            )
            if isinstance(related, VisibleRelatedField):
                continue
            if isinstance(related, serializers.RelatedField) or (
                name in RECORD_NAMES and (owner, name) not in NOT_A_DOOR
            ):
                problems.append(f"{operation}: {owner}.{name} ({type(field).__name__})")
    return sorted(set(problems))


@pytest.mark.django_db
def test_every_api_input_that_names_a_record_goes_through_the_door():
    assert _door_problems() == []


@pytest.mark.django_db
def test_the_guard_would_catch_a_related_field_over_all_records(monkeypatch):
    from ipex.cases import api

    monkeypatch.setitem(
        api.CaseInSerializer._declared_fields,
        "sharing_group",
        serializers.SlugRelatedField(slug_field="uuid", queryset=SharingGroup.objects.all()),
    )
    assert _door_problems() == ["POST /api/v1/cases: CaseInSerializer.sharing_group "
                                "(SlugRelatedField)"]  # fmt: skip


@pytest.mark.django_db
def test_the_guard_would_catch_a_bare_uuid_that_names_a_record(monkeypatch):
    from ipex.assistance import api

    monkeypatch.setitem(
        api.RequestInSerializer._declared_fields, "case", serializers.UUIDField(required=False)
    )
    assert _door_problems() == ["POST /api/v1/assistance-requests: RequestInSerializer.case "
                                "(UUIDField)"]  # fmt: skip


def test_a_serializer_without_the_request_fails_loudly(world):
    from django.core.exceptions import ImproperlyConfigured

    from ipex.cases.api import CaseInSerializer

    data = CaseInSerializer(data=CASE)
    with pytest.raises(ImproperlyConfigured, match="needs the request"):
        data.is_valid()


def test_uuid_values_are_compared_whatever_their_case(world):
    """A uuid in capitals names the same record (and a hidden one stays unknown)."""
    client = api_for(world.people.owner)
    response = client.post(
        f"/api/v1/cases/{world.own_case.uuid}/seizures",
        {"seizure": str(world.own_seizure.uuid).upper()},
        format="json",
    )
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("field", ["owner_org"])
def test_sharing_group_page_answers_a_foreign_and_a_random_organisation_alike(world, field):
    client = client_for(world.people.supervisor)
    before = written(world)
    answers = []
    for value in (CODE, world.orgs.zj.code):
        response = client.post("/directory/sharing-groups/new", {"name": "New", field: value})
        answers.append((response.status_code, field_errors(response.content.decode(), field)))
    assert answers == [(200, [ORG])] * 2
    assert written(world) == before


def test_typed_codes_answer_an_inactive_and_a_random_organisation_alike(world):
    """A code typed by hand echoes the code, whatever it names; an organisation only node
    administrators see (an inactive one) is as unknown as one that does not exist."""
    before = written(world)
    answers = []
    for value in (CODE, world.closed.code):
        response = client_for(world.people.supervisor).post(
            f"/directory/sharing-groups/{world.group.uuid}/members", {"organisation": value}
        )
        shown = [str(m).replace(value, "<code>") for m in get_messages(response.wsgi_request)]
        answers.append((response.status_code, shown))
    assert answers == [(302, ["There is no organisation with code <code>."])] * 2
    assert written(world) == before
